import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Client } from '../support/client.js';
import type { TestSystem } from '../support/system.js';

/** Uploads a file as multipart/form-data with the client's session. */
export async function upload(
  sys: TestSystem,
  c: Client,
  orgId: number,
  fileName: string,
  content: Buffer | (() => AsyncGenerator<Buffer>),
) {
  const boundary = `----niudai${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const payload =
    typeof content === 'function'
      ? Readable.from(
          (async function* () {
            yield head;
            yield* content();
            yield tail;
          })(),
        )
      : Buffer.concat([head, content, tail]);
  const res = await sys.app.inject({
    method: 'POST',
    url: `/api/people/imports?orgId=${orgId}`,
    headers: {
      cookie: c.cookie ?? '',
      'x-csrf-token': c.csrf ?? '',
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    payload,
  });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
}

/** Relays the outbox and polls the job until it has finished. */
export async function waitForJob(sys: TestSystem, c: Client, id: number, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    await sys.deps.jobs.relay();
    const r = await c.get(`/api/people/imports/${id}`);
    if (r.body.status === 'done' || r.body.status === 'failed') return r.body;
    if (Date.now() > until) throw new Error(`import ${id} did not finish: ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}
