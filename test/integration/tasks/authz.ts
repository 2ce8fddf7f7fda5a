import { addToMatrix, type MatrixFixture, type Target } from '../support/matrix.js';

/** Deployment-and-supervision endpoints in the authorization matrix (deny/allow by scope and permission). */
let n = 0;
const uniq = () => `${Date.now().toString(36)}${++n}`;

/** A task deployed by the target organization to itself (admin creates it). */
async function makeTask(fx: MatrixFixture, t: Target) {
  const r = await fx.admin.post('/api/tasks', {
    ownerOrgId: fx.orgs[t],
    title: `矩阵任务${uniq()}`,
    leadOrgIds: [fx.orgs[t]],
    cadence: 'none',
  });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body as { id: number; version: number };
}

async function makeDoc(fx: MatrixFixture, t: Target) {
  const r = await fx.admin.post('/api/task-docs', {
    orgId: fx.orgs[t],
    title: `矩阵文档${uniq()}`,
    docDate: '2026-03-02',
    body: '一、总体要求\n县总工会要年内完成职工驿站建设。',
  });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body as { id: number; version: number };
}

async function makeMeeting(fx: MatrixFixture, t: Target) {
  const r = await fx.admin.post('/api/task-meetings', {
    orgId: fx.orgs[t],
    title: `矩阵会议${uniq()}`,
    heldOn: '2026-03-02',
  });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body as { id: number };
}

addToMatrix('tasks', [
  {
    name: 'POST /api/tasks',
    permission: 'task:write',
    ok: 201,
    request: async (fx, t) => ({
      method: 'POST',
      url: '/api/tasks',
      body: { ownerOrgId: fx.orgs[t], title: `矩阵任务${uniq()}`, leadOrgIds: [fx.orgs[t]], cadence: 'none' },
    }),
  },
  {
    name: 'GET /api/tasks/:id',
    permission: 'task:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/tasks/${(await makeTask(fx, t)).id}` }),
  },
  {
    name: 'PATCH /api/tasks/:id',
    permission: 'task:write',
    ok: 200,
    request: async (fx, t) => {
      const k = await makeTask(fx, t);
      return { method: 'PATCH', url: `/api/tasks/${k.id}`, body: { version: k.version, handler: '承办人' } };
    },
  },
  {
    name: 'POST /api/tasks/:id/split',
    permission: 'task:write',
    ok: 201,
    request: async (fx, t) => {
      const k = await makeTask(fx, t);
      return {
        method: 'POST',
        url: `/api/tasks/${k.id}/split`,
        body: {
          version: k.version,
          tasks: [{ title: '分解子任务', leadOrgIds: [fx.orgs[t]], cadence: 'none' }],
        },
      };
    },
  },
  {
    name: 'POST /api/tasks/:id/actions/pause',
    permission: 'task:write',
    ok: 200,
    request: async (fx, t) => {
      const k = await makeTask(fx, t);
      return {
        method: 'POST',
        url: `/api/tasks/${k.id}/actions/pause`,
        body: { version: k.version, reason: '暂缓推进' },
      };
    },
  },
  {
    name: 'POST /api/tasks/:id/reports',
    permission: 'task:report',
    ok: 201,
    request: async (fx, t) => {
      const k = await makeTask(fx, t);
      return {
        method: 'POST',
        url: `/api/tasks/${k.id}/reports`,
        body: { version: k.version, percent: 30, content: '已启动' },
      };
    },
  },
  {
    name: 'GET /api/tasks/:id/timeline',
    permission: 'task:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/tasks/${(await makeTask(fx, t)).id}/timeline` }),
  },
  {
    name: 'GET /api/task-rankings?orgId',
    permission: 'task:read',
    ok: 200,
    request: async (fx, t) => ({
      method: 'GET',
      url: `/api/task-rankings?from=2026-01-01&to=2026-12-31&orgId=${fx.orgs[t]}`,
    }),
  },
]);

addToMatrix('task documents', [
  {
    name: 'POST /api/task-docs',
    permission: 'task:write',
    ok: 201,
    request: async (fx, t) => ({
      method: 'POST',
      url: '/api/task-docs',
      body: {
        orgId: fx.orgs[t],
        title: `矩阵文档${uniq()}`,
        docDate: '2026-03-02',
        body: '县总工会要年内完成任务。',
      },
    }),
  },
  {
    name: 'GET /api/task-docs/:id',
    permission: 'task:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/task-docs/${(await makeDoc(fx, t)).id}` }),
  },
  {
    name: 'POST /api/task-docs/:id/decompose',
    permission: 'task:write',
    ok: 200,
    request: async (fx, t) => ({
      method: 'POST',
      url: `/api/task-docs/${(await makeDoc(fx, t)).id}/decompose`,
    }),
  },
  {
    name: 'POST /api/task-docs/:id/publish',
    permission: 'task:write',
    ok: 200,
    request: async (fx, t) => {
      const d = await makeDoc(fx, t);
      return {
        method: 'POST',
        url: `/api/task-docs/${d.id}/publish`,
        body: {
          version: d.version,
          tasks: [{ title: '完成职工驿站建设', leadOrgIds: [fx.orgs[t]], cadence: 'none' }],
        },
      };
    },
  },
  {
    name: 'POST /api/task-meetings',
    permission: 'task:write',
    ok: 201,
    request: async (fx, t) => ({
      method: 'POST',
      url: '/api/task-meetings',
      body: { orgId: fx.orgs[t], title: `矩阵会议${uniq()}`, heldOn: '2026-03-02' },
    }),
  },
  {
    name: 'GET /api/task-meetings/:id',
    permission: 'task:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/task-meetings/${(await makeMeeting(fx, t)).id}` }),
  },
]);
