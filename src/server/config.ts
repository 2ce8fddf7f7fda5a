import { isIP } from 'node:net';
import { join } from 'node:path';
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
  /**
   * A streaming-replication hot standby of DATABASE_URL. Read-heavy endpoints (dashboards,
   * statistics, search, exports, rankings) read from it while it is up, less than
   * NIUDAI_REPLICA_MAX_LAG seconds behind, and past the caller's own last write.
   */
  DATABASE_REPLICA_URL: z.string().url().optional(),
  NIUDAI_REPLICA_MAX_LAG: z.coerce.number().min(0).default(30),
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
  /**
   * Seed the demo city on first start of an empty database. Default true, except in
   * production, where it is false: a real city starts with `niudai init` (docs/onboarding.md).
   */
  NIUDAI_SEED_DEMO: z.enum(['true', 'false']).optional(),
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
  /** Seconds between the periodic sweeps (overdue appeals and tasks); 5 with the test clock. */
  NIUDAI_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Requests per minute per IP on public and login endpoints. */
  NIUDAI_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
  /**
   * Token a Prometheus scraper sends (`Authorization: Bearer …`) to read `/metrics`; unset,
   * only loopback callers may read it.
   */
  NIUDAI_METRICS_TOKEN: z.string().min(16).optional(),
  /**
   * Reverse proxies whose `X-Forwarded-For` is believed (addresses or CIDRs, comma-separated,
   * e.g. `10.0.0.2,10.1.0.0/16`). Default none: the client address is the socket's, so a
   * forged header cannot dodge the per-address limits or fake the address in the logs.
   */
  NIUDAI_TRUSTED_PROXIES: z
    .string()
    .refine(
      (v) => v.split(',').every((a) => isIP(a.trim().split('/')[0]!) !== 0),
      '应为以逗号分隔的 IP 地址或 CIDR',
    )
    .optional(),
  /**
   * Key (base64, 32 bytes) signing the audit checkpoints (HMAC-SHA256). Keep it out of the
   * database. Default: derived from NIUDAI_HASH_KEY.
   */
  NIUDAI_AUDIT_KEY: z.string().optional(),
  /**
   * Folder the signed audit checkpoints (chain heads) are written to; point it at storage
   * the database's administrators cannot rewrite (another machine's mount, a WORM bucket).
   * Default: `<data folder>/audit-checkpoints`.
   */
  NIUDAI_AUDIT_CHECKPOINT_DIR: z.string().optional(),
  /** Minutes between audit checkpoints (written when events were added since the last one). */
  NIUDAI_AUDIT_CHECKPOINT_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  /**
   * Seconds an import worker holds a job without renewing its lease; a job whose lease
   * expired (its worker died) is taken up again by another worker.
   */
  NIUDAI_JOB_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(120),
  /**
   * Hardening of accounts and persons (issue 12). Registrations of a person kept by an
   * organization outside the caller's scope (each files a 关联申请) allowed per user and hour.
   */
  NIUDAI_PERSON_CLAIMS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(30),
  /**
   * Live notices (工作台): milliseconds between two looks of a process for changed notices of
   * the users it streams to (`GET /api/me/events`); one indexed query per look, only while
   * someone is connected.
   */
  NIUDAI_LIVE_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
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
  replicaUrl?: string;
  replicaMaxLagSeconds: number;
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
  sweepSeconds: number;
  metricsToken?: string;
  /** proxies whose X-Forwarded-For is believed (empty: none) */
  trustedProxies: string[];
  auditKey?: string;
  auditCheckpointDir: string;
  auditCheckpointMinutes: number;
  jobLeaseSeconds: number;
  /** 关联申请 (registrations of persons kept elsewhere) per user and hour */
  personClaimsPerHour: number;
  /** live notices: milliseconds between two looks for changed notices */
  livePollMs: number;
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
    replicaUrl: e.DATABASE_REPLICA_URL,
    replicaMaxLagSeconds: e.NIUDAI_REPLICA_MAX_LAG,
    dbPool: e.NIUDAI_DB_POOL,
    piiKeys: e.NIUDAI_PII_KEYS,
    hashKey: e.NIUDAI_HASH_KEY,
    sessionIdleMinutes: e.NIUDAI_SESSION_IDLE_MINUTES,
    secureCookies: e.NIUDAI_SECURE_COOKIES ? e.NIUDAI_SECURE_COOKIES === 'true' : production,
    seedDemo: e.NIUDAI_SEED_DEMO ? e.NIUDAI_SEED_DEMO === 'true' : !production,
    demoCity: e.NIUDAI_DEMO_CITY,
    testClock: e.NIUDAI_TEST_CLOCK === 'true',
    runJobs: e.NIUDAI_JOBS === 'true',
    rateLimit: e.NIUDAI_RATE_LIMIT,
    sweepSeconds: e.NIUDAI_SWEEP_SECONDS,
    metricsToken: e.NIUDAI_METRICS_TOKEN,
    trustedProxies: (e.NIUDAI_TRUSTED_PROXIES ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    auditKey: e.NIUDAI_AUDIT_KEY,
    auditCheckpointDir: e.NIUDAI_AUDIT_CHECKPOINT_DIR ?? join(e.NIUDAI_DATA_DIR, 'audit-checkpoints'),
    auditCheckpointMinutes: e.NIUDAI_AUDIT_CHECKPOINT_MINUTES,
    jobLeaseSeconds: e.NIUDAI_JOB_LEASE_SECONDS,
    personClaimsPerHour: e.NIUDAI_PERSON_CLAIMS_PER_HOUR,
    livePollMs: e.NIUDAI_LIVE_POLL_MS,
    logLevel: e.LOG_LEVEL,
    assistPublicityWorkdays: e.NIUDAI_ASSIST_PUBLICITY_WORKDAYS,
  };
}
