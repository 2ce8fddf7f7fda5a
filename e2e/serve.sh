#!/usr/bin/env bash
# The server for the browser tests: the web app built, a fresh data folder with the demo
# city, the controllable clock, and a rate limit high enough for a test run.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${E2E_PORT:-3199}
DATA_DIR=.tmp/e2e-data-$PORT
rm -rf "$DATA_DIR"
mkdir -p "$DATA_DIR"
npm run -s build:web
exec env PORT="$PORT" NIUDAI_DATA_DIR="$DATA_DIR" NIUDAI_TEST_CLOCK=true NIUDAI_RATE_LIMIT=1000 LOG_LEVEL="${LOG_LEVEL:-warn}" \
  npx tsx src/server/cli/main.ts serve
