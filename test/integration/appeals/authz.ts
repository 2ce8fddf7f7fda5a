import { addToMatrix, type MatrixFixture, type Target } from '../support/matrix.js';

/** Appeal endpoints in the authorization matrix: appeals held by the own, a child and a sibling organization. */
let n = 0;

async function makeAppeal(fx: MatrixFixture, t: Target, status: 'dispatched' | 'accepted' = 'dispatched') {
  const org = await fx.admin.get(`/api/orgs/${fx.orgs[t]}`);
  n++;
  const res = await fx.sys.anonymous().post('/api/public/appeals', {
    content: `矩阵测试诉求：单位拖欠工资 ${n}-${Date.now()}`,
    group: 'worker',
    categoryCode: 'LABOR_WAGE',
    regionCode: org.body.regionCode,
    phone: `137${String(Date.now() % 100_000).padStart(5, '0')}${String(n % 1000).padStart(3, '0')}`,
  });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  const found = await fx.admin.get(`/api/appeals?q=${res.body.trackingCode}`);
  let a = (await fx.admin.get(`/api/appeals/${found.body.items[0].id}`)).body;
  if (a.orgId !== fx.orgs[t]) {
    const r = await fx.admin.post(`/api/appeals/${a.id}/transfer`, {
      version: a.version,
      orgId: fx.orgs[t],
      reason: '矩阵测试转办',
    });
    if (r.status !== 200) throw new Error(JSON.stringify(r.body));
    a = r.body;
  }
  if (status === 'accepted') {
    const r = await fx.admin.post(`/api/appeals/${a.id}/accept`, { version: a.version });
    if (r.status !== 200) throw new Error(JSON.stringify(r.body));
    a = r.body;
  }
  return a as { id: number; version: number; orgId: number };
}

async function makeFile(fx: MatrixFixture, appealId: number) {
  const admin = fx.admin;
  const res = await fx.sys.app.inject({
    method: 'POST',
    url: `/api/appeals/${appealId}/files?name=a.pdf`,
    headers: {
      cookie: admin.cookie!,
      'x-csrf-token': admin.csrf!,
      'content-type': 'application/octet-stream',
    },
    payload: Buffer.from('%PDF-1.4 matrix'),
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  return JSON.parse(res.body) as { id: number };
}

addToMatrix('appeals', [
  {
    name: 'GET /api/appeals/:id',
    permission: 'appeal:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/appeals/${(await makeAppeal(fx, t)).id}` }),
  },
  {
    name: 'POST /api/appeals/:id/accept',
    permission: 'appeal:handle',
    ok: 200,
    request: async (fx, t) => {
      const a = await makeAppeal(fx, t);
      return { method: 'POST', url: `/api/appeals/${a.id}/accept`, body: { version: a.version } };
    },
  },
  {
    name: 'POST /api/appeals/:id/note',
    permission: 'appeal:handle',
    ok: 200,
    request: async (fx, t) => {
      const a = await makeAppeal(fx, t, 'accepted');
      return { method: 'POST', url: `/api/appeals/${a.id}/note`, body: { version: a.version, note: '记录' } };
    },
  },
  {
    name: 'POST /api/appeals/:id/transfer',
    permission: 'appeal:dispatch',
    ok: 200,
    request: async (fx, t) => {
      const a = await makeAppeal(fx, t);
      const to = t === 'own' ? fx.orgs.child : fx.orgs.own;
      return {
        method: 'POST',
        url: `/api/appeals/${a.id}/transfer`,
        body: { version: a.version, orgId: to, reason: '矩阵转办' },
      };
    },
  },
  {
    name: 'GET /api/appeals/:id/files/:fileId',
    permission: 'appeal:read',
    ok: 200,
    request: async (fx, t) => {
      const a = await makeAppeal(fx, t);
      const f = await makeFile(fx, a.id);
      return { method: 'GET', url: `/api/appeals/${a.id}/files/${f.id}` };
    },
  },
  {
    name: 'POST /api/appeals/assists/:id/reply',
    permission: 'appeal:handle',
    ok: 200,
    request: async (fx, t) => {
      // the part is asked of the target organization; the appeal is held by the city union
      const city = await fx.admin.get(`/api/orgs/${fx.orgs.own}`);
      const a = await makeAppeal(fx, 'own', 'accepted');
      const moved = await fx.admin.post(`/api/appeals/${a.id}/transfer`, {
        version: a.version,
        orgId: city.body.parentId,
        reason: '上交市总',
      });
      const accepted = await fx.admin.post(`/api/appeals/${a.id}/accept`, { version: moved.body.version });
      const asked = await fx.admin.post(`/api/appeals/${a.id}/assist`, {
        version: accepted.body.version,
        orgIds: [fx.orgs[t]],
        note: '请协办',
      });
      if (asked.status !== 200) throw new Error(JSON.stringify(asked.body));
      const x = asked.body.assists[0];
      return {
        method: 'POST',
        url: `/api/appeals/assists/${x.id}/reply`,
        body: { version: x.version, reply: '已协办' },
      };
    },
  },
]);
