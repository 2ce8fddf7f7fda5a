#!/usr/bin/env bash
# The OpenAPI document as an integrator gets it: written from the routes, validated
# (swagger-parser), linted under Redocly's recommended rules (redocly.yaml), and a typed
# client generated from it (openapi-typescript) that must compile.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.tmp/openapi; mkdir -p "$out"
npx tsx scripts/openapi.ts "$out/openapi.json" >/dev/null
node -e "require('@apidevtools/swagger-parser').validate('$out/openapi.json').then(() => console.log('OpenAPI document valid'), (e) => { console.error('OpenAPI document INVALID:', e.message); process.exit(1); })"
# offline and quiet: no usage telemetry, no update check against the npm registry, and the
# boxed notices (Node.js support, updates) filtered out; the problems themselves are kept
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
# one line per problem: severity, rule, where in the document (path, method, …), message
lint_ok=true
npx redocly lint "$out/openapi.json" --config redocly.yaml --format=json --max-problems 1000 \
  >"$out/lint.json" 2>"$out/lint.err" || lint_ok=false
node -e "
  let r; try { r = JSON.parse(require('fs').readFileSync('$out/lint.json', 'utf8')); }
  catch { console.error(require('fs').readFileSync('$out/lint.err', 'utf8')); process.exit(1); }
  const where = (p) => decodeURIComponent(p.replace(/^#\\/paths\\//, '')).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~')).join('  ');
  for (const p of r.problems) console.error(p.severity, p.ruleId, '@', where(p.location[0]?.pointer ?? ''), '—', p.message);
"
if [ "$lint_ok" != true ]; then
  echo "OpenAPI document FAILS Redocly's recommended rules (redocly.yaml): problems above" >&2
  exit 1
fi
echo "OpenAPI document lint clean (Redocly recommended rules)"
npx openapi-typescript "$out/openapi.json" -o "$out/client.d.ts" >/dev/null
cat >"$out/use.ts" <<'TS'
import type { paths } from './client.js';
type Todo = paths['/api/me/todo']['get']['responses']['200']['content']['application/json'];
type Login = paths['/api/auth/login']['post']['requestBody'];
export const probe: [Todo | undefined, Login | undefined] = [undefined, undefined];
TS
npx tsc --noEmit --strict --skipLibCheck --module nodenext --moduleResolution nodenext --target es2022 "$out/use.ts"
echo "typed client generated and compiled"
