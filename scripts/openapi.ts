/**
 * Writes the OpenAPI document the server serves at /api/docs/json to a file (default
 * .tmp/openapi.json), from the routes themselves: `npm run -s openapi -- <file>`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createLogger, startSystem } from '../src/server/boot.js';
import { loadConfig } from '../src/server/config.js';
import { openPglite } from '../src/server/platform/db/index.js';
import { migrate } from '../src/server/platform/migrate.js';

const out = process.argv[2] ?? '.tmp/openapi.json';
const config = loadConfig({
  NODE_ENV: 'test',
  NIUDAI_DATA_DIR: '.tmp/openapi-data',
  NIUDAI_JOBS: 'false',
  LOG_LEVEL: 'silent',
});
const db = await openPglite('memory://');
await migrate(db);
const sys = await startSystem(config, db, createLogger(config));
await sys.app.ready();
await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(sys.app.swagger(), null, 2)}\n`);
await sys.stop();
await db.close();
process.stdout.write(`${out}\n`);
