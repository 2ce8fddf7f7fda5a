import { z } from 'zod';

/**
 * The only reader of process.env. Every variable is described here and in README.md.
 */
const schema = z.object({
  /** production | development | test. Production requires explicit keys and secure cookies. */
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  /** HTTP port and host to listen on. */
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Data folder: embedded database (pg/), uploaded files (files/), generated dev secrets. */
  NIUDAI_DATA_DIR: z.string().default('./data'),
  /** PostgreSQL URL; when set the server uses it instead of the embedded database. */
  DATABASE_URL: z.string().url().optional(),
  /** Connection pool size per process on PostgreSQL. */
  NIUDAI_DB_POOL: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * Field-encryption keys for personal data: `id:base64(32 bytes)` separated by commas,
   * the first one encrypts, all of them decrypt (rotation). Dev: generated into the data folder.
   */
  NIUDAI_PII_KEYS: z.string().optional(),
  /** Key of the keyed hash (HMAC-SHA256) used to find and deduplicate personal data, base64. */
  NIUDAI_HASH_KEY: z.string().optional(),
  /** Minutes of inactivity after which a session ends. */
  NIUDAI_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** Send cookies with the Secure flag (set when served over HTTPS; default on in production). */
  NIUDAI_SECURE_COOKIES: z.enum(['true', 'false']).optional(),
  /** Seed the demo city on first start of an empty database. */
  NIUDAI_SEED_DEMO: z.enum(['true', 'false']).default('true'),
  /** Region (4-digit city code of GB/T 2260) the demo city is laid over. */
  NIUDAI_DEMO_CITY: z
    .string()
    .regex(/^\d{4}$/)
    .default('1307'),
  /** Allow tests to move the server clock (never in production). */
  NIUDAI_TEST_CLOCK: z.enum(['true', 'false']).default('false'),
  /**
   * Whether this process relays the outbox, works the job queue and runs the periodic
   * sweeps. Set false on web-only processes when `niudai worker` processes do that work.
   */
  NIUDAI_JOBS: z.enum(['true', 'false']).default('true'),
  /** Requests per minute per IP on public and login endpoints. */
  NIUDAI_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
  /** Log level of the JSON logs (pino). */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // assistance (帮扶)
  /** Working days an assistance archive is publicly announced (公示) before it may be archived. */
  NIUDAI_ASSIST_PUBLICITY_WORKDAYS: z.coerce.number().int().min(1).max(30).default(5),
});

export type Env = z.infer<typeof schema>;

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  dbPool: number;
  piiKeys?: string;
  hashKey?: string;
  sessionIdleMinutes: number;
  secureCookies: boolean;
  seedDemo: boolean;
  demoCity: string;
  testClock: boolean;
  /** relay the outbox, work the job queue and run the periodic sweeps in this process */
  runJobs: boolean;
  rateLimit: number;
  logLevel: Env['LOG_LEVEL'];
  /** assistance: working days of 公示 */
  assistPublicityWorkdays: number;
}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // an empty variable counts as unset
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && (!e.NIUDAI_PII_KEYS || !e.NIUDAI_HASH_KEY)) {
    throw new Error('Invalid configuration: NIUDAI_PII_KEYS and NIUDAI_HASH_KEY are required in production');
  }
  if (production && e.NIUDAI_TEST_CLOCK === 'true') {
    throw new Error('Invalid configuration: NIUDAI_TEST_CLOCK cannot be enabled in production');
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.NIUDAI_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    dbPool: e.NIUDAI_DB_POOL,
    piiKeys: e.NIUDAI_PII_KEYS,
    hashKey: e.NIUDAI_HASH_KEY,
    sessionIdleMinutes: e.NIUDAI_SESSION_IDLE_MINUTES,
    secureCookies: e.NIUDAI_SECURE_COOKIES ? e.NIUDAI_SECURE_COOKIES === 'true' : production,
    seedDemo: e.NIUDAI_SEED_DEMO === 'true',
    demoCity: e.NIUDAI_DEMO_CITY,
    testClock: e.NIUDAI_TEST_CLOCK === 'true',
    runJobs: e.NIUDAI_JOBS === 'true',
    rateLimit: e.NIUDAI_RATE_LIMIT,
    logLevel: e.LOG_LEVEL,
    assistPublicityWorkdays: e.NIUDAI_ASSIST_PUBLICITY_WORKDAYS,
  };
}
