import { addToMatrix, type MatrixFixture, type Target } from '../support/matrix.js';

/** Statistics and assessment endpoints in the authorization matrix (an organization in the query or path). */
let n = 0;
const uniq = () => `${Date.now().toString(36)}${++n}`;
const YEAR = String(new Date().getFullYear() - 1);

async function formId(fx: MatrixFixture, code: string): Promise<number> {
  const r = await fx.admin.get('/api/stats/forms');
  return r.body.items.find((f: { code: string }) => f.code === code).id;
}

/** A yearly union form open all year round (so a save is allowed whatever the date). */
async function openForm(fx: MatrixFixture): Promise<number> {
  const r = await fx.admin.post('/api/stats/forms', {
    code: `M-${uniq()}`.slice(0, 32),
    name: `矩阵表${uniq()}`,
    periodType: 'year',
    orgTypes: ['union'],
    orgLevels: ['county', 'township'],
    window: { openDays: -366, dueDays: 30, graceDays: 0, lockDays: 730 },
    definition: { cells: [{ code: 'A1', label: '数量', type: 'integer' }] },
  });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body.id;
}

const statsGet =
  (path: string, code = 'GH-01') =>
  async (fx: MatrixFixture, t: Target) => ({
    method: 'GET',
    url: `/api/stats/forms/${await formId(fx, code)}/${path}?period=${YEAR}&orgId=${fx.orgs[t]}`,
  });

addToMatrix('stats', [
  {
    name: 'GET /api/stats/forms/:id/summary',
    permission: 'stats:read',
    ok: 200,
    request: statsGet('summary'),
  },
  { name: 'GET /api/stats/forms/:id/report', permission: 'stats:read', ok: 200, request: statsGet('report') },
  {
    name: 'GET /api/stats/forms/:id/report/history',
    permission: 'stats:read',
    ok: 200,
    request: statsGet('report/history'),
  },
  { name: 'GET /api/stats/forms/:id/drill', permission: 'stats:read', ok: 200, request: statsGet('drill') },
  {
    name: 'GET /api/stats/forms/:id/completion',
    permission: 'stats:read',
    ok: 200,
    request: statsGet('completion'),
  },
  { name: 'GET /api/stats/forms/:id/export', permission: 'stats:read', ok: 200, request: statsGet('export') },
  {
    name: 'PUT /api/stats/forms/:id/report',
    permission: 'stats:fill',
    ok: 200,
    request: async (fx, t) => ({
      method: 'PUT',
      url: `/api/stats/forms/${await openForm(fx)}/report?period=${YEAR}&orgId=${fx.orgs[t]}`,
      body: { values: { A1: 3 }, version: 0 },
    }),
  },
  {
    name: 'POST /api/stats/forms/:id/urge',
    permission: 'stats:review',
    ok: 200,
    request: async (fx, t) => ({
      method: 'POST',
      url: `/api/stats/forms/${await formId(fx, 'GH-01')}/urge?period=${YEAR}&orgId=${fx.orgs[t]}`,
      body: {},
    }),
  },
]);

async function demoRun(fx: MatrixFixture): Promise<number> {
  const r = await fx.admin.get('/api/assessments/runs');
  return r.body.items.find((x: { period: string }) => x.period === YEAR).id;
}

addToMatrix('assessment', [
  {
    name: 'GET /api/assessments/runs/:id/units/:orgId',
    permission: 'assess:read',
    ok: 200,
    request: async (fx, t) => ({
      method: 'GET',
      url: `/api/assessments/runs/${await demoRun(fx)}/units/${fx.orgs[t]}`,
    }),
  },
  {
    name: 'PUT /api/assessments/runs/:id/scores/:orgId',
    permission: 'assess:score',
    ok: 200,
    request: async (fx, t) => {
      const s = await fx.admin.get('/api/assessments/schemes');
      const demo = await fx.admin.get(`/api/assessments/schemes/${s.body.items[0].id}`);
      const { id: _i, ownerOrgId: _o, schemeVersion: _s, version: _v, ...input } = demo.body;
      const created = await fx.admin.post('/api/assessments/schemes', {
        ...input,
        name: `矩阵考核${uniq()}`,
      });
      if (created.status !== 201) throw new Error(JSON.stringify(created.body));
      const run = await fx.admin.post(`/api/assessments/schemes/${created.body.id}/runs`, { period: YEAR });
      const unit = await fx.admin.get(`/api/assessments/runs/${run.body.id}/units/${fx.orgs[t]}`);
      return {
        method: 'PUT',
        url: `/api/assessments/runs/${run.body.id}/scores/${fx.orgs[t]}`,
        body: { kind: 'self', scores: { I7: { score: 80 } }, version: unit.body.version },
      };
    },
  },
]);
