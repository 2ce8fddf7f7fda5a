import { sql } from '../../../src/server/platform/db/index.js';
import type { Client } from '../support/client.js';
import type { TestSystem } from '../support/system.js';

export { newIdNumber } from '../people/helpers.js';

export const JPG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1, 1, 0, 0, 1]);
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** Uploads a file to a case as the raw body. */
export async function upload(
  sys: TestSystem,
  c: Client,
  caseId: number,
  kind: string,
  name: string,
  bytes: Buffer,
) {
  const res = await sys.app.inject({
    method: 'POST',
    url: `/api/assistance/cases/${caseId}/files?kind=${kind}&name=${encodeURIComponent(name)}`,
    headers: { cookie: c.cookie!, 'x-csrf-token': c.csrf!, 'content-type': 'application/octet-stream' },
    payload: bytes,
  });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

export async function orgOf(sys: TestSystem, username: string): Promise<number> {
  return (
    await sys.db.query<{ org_id: number }>(sql`SELECT org_id FROM users WHERE username = ${username}`)
  )[0]!.org_id;
}

/** An application body: the applicant and two family members (one in higher education). */
export function application(orgId: number, ids: string[], over: Record<string, unknown> = {}) {
  return {
    orgId,
    category: 'illness',
    primaryCause: 'illness',
    secondaryCauses: ['education'],
    health: 'serious',
    housing: 'own',
    employment: 'flexible',
    description: '户主患重病，子女上大学',
    members: [
      { name: '申请人甲', idNumber: ids[0], relation: 'self', monthlyIncome: 1200 },
      { name: '配偶乙', idNumber: ids[1], relation: 'spouse', monthlyIncome: 600.5 },
      { name: '子女丙', idNumber: ids[2], relation: 'child', schooling: 'higher', monthlyIncome: 0 },
    ],
    bank: { bankName: '中国农业银行', account: '6228 4801 2345 6789 012' },
    ...over,
  };
}

/** Files an application and takes it through the chain to 在档 (the clock moved past 公示). */
export async function archivedCase(sys: TestSystem, town: Client, county: Client, body: unknown) {
  const c = await town.post('/api/assistance/cases', body);
  if (c.status !== 201) throw new Error(JSON.stringify(c.body));
  let d = c.body;
  d = (await town.post(`/api/assistance/cases/${d.id}/actions/initial_review`, { version: d.version })).body;
  const photo = await upload(sys, town, d.id, 'photo', '现场.jpg', JPG);
  const auth = await upload(sys, town, d.id, 'authorization', '授权书.pdf', PDF);
  d = (
    await town.post(`/api/assistance/cases/${d.id}/visit`, {
      version: d.version,
      visitedOn: d.updatedAt.slice(0, 10),
      visitors: '张三、李四',
      findings: '家中确有困难',
      fileIds: [photo.body.id, auth.body.id],
    })
  ).body;
  d = (await county.post(`/api/assistance/cases/${d.id}/actions/approve`, { version: d.version })).body;
  await sys.db.query(sql`UPDATE assist_cases SET publicity_until = '2000-01-01' WHERE id = ${d.id}`);
  const r = await county.post(`/api/assistance/cases/${d.id}/actions/archive`, { version: d.version });
  if (r.status !== 200) throw new Error(JSON.stringify(r.body));
  return r.body;
}
