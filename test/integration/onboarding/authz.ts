import { addToMatrix, type MatrixFixture, type Target } from '../support/matrix.js';
import { csvFile, sendImport } from './upload.js';

/** Onboarding imports in the authorization matrix: an import is seen within its importer's organization scope. */
let n = 0;

/** A dry-run units import made by an organization administrator of the target organization. */
async function importBy(fx: MatrixFixture, t: Target) {
  const roles = await fx.admin.get('/api/roles');
  const orgAdmin = roles.body.items.find((r: { key: string }) => r.key === 'org_admin');
  const username = `mx.imp${Date.now().toString(36)}${++n}`;
  const u = await fx.admin.post('/api/users', {
    username,
    displayName: '矩阵导入员',
    orgId: fx.orgs[t],
    password: 'Matrix@2026',
    roleIds: [orgAdmin.id],
  });
  if (u.status !== 201) throw new Error(JSON.stringify(u.body));
  const c = await fx.sys.login(username, 'Matrix@2026');
  const r = await sendImport(
    fx.sys,
    c,
    'units',
    'units.csv',
    csvFile('*单位名称,统一社会信用代码,*单位类别,*所有制,*行政区划代码,*所属组织', [
      '矩阵社会组织,,社会组织,社会组织,130702,x',
    ]),
    true,
  );
  if (r.status !== 200) throw new Error(JSON.stringify(r.body));
  return r.body.id as number;
}

addToMatrix('onboarding', [
  {
    name: 'GET /api/onboarding/imports/:id',
    permission: 'unit:write',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/onboarding/imports/${await importBy(fx, t)}` }),
  },
  {
    name: 'GET /api/onboarding/imports/:id/errors',
    permission: 'unit:write',
    ok: 200,
    request: async (fx, t) => ({
      method: 'GET',
      url: `/api/onboarding/imports/${await importBy(fx, t)}/errors?format=json`,
    }),
  },
]);
