import { randomBytes } from 'node:crypto';
import type { Client } from '../support/client.js';
import type { TestSystem } from '../support/system.js';

/** Uploads an onboarding file (multipart) with the client's session. */
export async function sendImport(
  sys: TestSystem,
  c: Client,
  kind: string,
  name: string,
  body: Buffer,
  dryRun: boolean,
) {
  const boundary = `----niudai${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    body,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await sys.app.inject({
    method: 'POST',
    url: `/api/onboarding/imports/${kind}?dryRun=${dryRun}`,
    headers: {
      cookie: c.cookie ?? '',
      'x-csrf-token': c.csrf ?? '',
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    payload,
  });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

export const csvFile = (head: string, lines: string[]) =>
  Buffer.from(`\uFEFF${[head, ...lines].join('\r\n')}\r\n`);
