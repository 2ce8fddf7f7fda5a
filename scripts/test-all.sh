#!/usr/bin/env bash
# Every test: lint and format, types, unit tests, integration tests on PGlite and on
# PostgreSQL, browser tests in Chromium. Uses TEST_DATABASE_URL when given, otherwise
# starts a throw-away PostgreSQL itself (needs the postgresql package; .ci/run installs it).
set -uo pipefail
cd "$(dirname "$0")/.."
out=.tmp/test-results; rm -rf "$out"; mkdir -p "$out"
failed=0
step() { echo; echo "━━ $1"; }

pg_started=""
if [[ -z "${TEST_DATABASE_URL:-}" ]]; then
  pg_port=${TEST_PG_PORT:-55433}; pg_dir="$PWD/.tmp/pg-test-$pg_port"
  if TEST_DATABASE_URL=$(bash scripts/pg.sh start "$pg_dir" "$pg_port"); then
    export TEST_DATABASE_URL; pg_started=1
  else
    echo "cannot start PostgreSQL for the integration suite (see above)"; exit 1
  fi
fi
cleanup() { [[ -n "$pg_started" ]] && bash scripts/pg.sh stop "$pg_dir"; }
trap cleanup EXIT

step "lint and format (biome)"; npx biome check . || failed=1
step "types (tsc)"; npx tsc --noEmit -p tsconfig.json || failed=1
step "OpenAPI document (validate, lint, typed client)"; bash scripts/openapi-check.sh || failed=1
step "unit tests"; npx vitest run --project unit --reporter=default --reporter=json --outputFile="$out/unit.json" || failed=1
# the two engines' integration suites side by side: PGlite works one core (WASM), the
# PostgreSQL suite splits its time between the test process and the server
step "integration tests on PGlite and on PostgreSQL (side by side; each log printed when both are done)"
( env -u TEST_DATABASE_URL npx vitest run --project integration --reporter=default --reporter=json \
    --outputFile="$out/int-pglite.json" >"$out/int-pglite.log" 2>&1; echo $? >"$out/int-pglite.rc" ) &
( npx vitest run --project integration --reporter=default --reporter=json \
    --outputFile="$out/int-postgres.json" >"$out/int-postgres.log" 2>&1; echo $? >"$out/int-postgres.rc" ) &
wait
for engine in pglite postgres; do
  echo; echo "── integration on $engine"; cat "$out/int-$engine.log"
  [[ "$(cat "$out/int-$engine.rc" 2>/dev/null)" == 0 ]] || failed=1
done
step "browser tests (Chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$out/e2e.json" npx playwright test --reporter=list,json || failed=1

node scripts/test-summary.mjs "$out" || failed=1
exit $failed
