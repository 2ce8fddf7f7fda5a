#!/usr/bin/env bash
# The OpenAPI document as an integrator gets it: written from the routes, validated
# (swagger-parser), linted under Redocly's recommended rules (redocly.yaml), and a typed
# client generated from it (openapi-typescript) that must compile.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.tmp/openapi; mkdir -p "$out"
npx tsx scripts/openapi.ts "$out/openapi.json" >/dev/null
node -e "require('@apidevtools/swagger-parser').validate('$out/openapi.json').then(() => console.log('OpenAPI document valid'), (e) => { console.error('OpenAPI document INVALID:', e.message); process.exit(1); })"
npx redocly lint "$out/openapi.json" --config redocly.yaml --format=summary 2>&1 | grep -v -e '║' -e '╔' -e '╚' -e '^\s*$'
npx openapi-typescript "$out/openapi.json" -o "$out/client.d.ts" >/dev/null
cat >"$out/use.ts" <<'TS'
import type { paths } from './client.js';
type Todo = paths['/api/me/todo']['get']['responses']['200']['content']['application/json'];
type Login = paths['/api/auth/login']['post']['requestBody'];
export const probe: [Todo | undefined, Login | undefined] = [undefined, undefined];
TS
npx tsc --noEmit --strict --skipLibCheck --module nodenext --moduleResolution nodenext --target es2022 "$out/use.ts"
echo "typed client generated and compiled"
