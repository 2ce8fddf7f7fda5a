import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { isPublicPage } from '../shared/publicPages.js';
import { registerModules } from './modules/index.js';
import { auditCheckpoints } from './platform/auditCheckpoint.js';
import type { Deps } from './platform/deps.js';
import { installAuth } from './platform/http/auth.js';
import { installErrorHandling } from './platform/http/errors.js';
import { installInputChecks } from './platform/http/input.js';
import { ERROR_SCHEMA, openApiTransform } from './platform/http/openapi.js';
import { pgRateLimitStore } from './platform/http/rateLimitStore.js';
import { securityHeaders } from './platform/http/securityHeaders.js';
import { installMetrics } from './platform/metrics.js';
import { sweepThrottle } from './platform/throttle.js';

export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger,
  ZodTypeProvider
>;

const WEB_DIST = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/** Builds the HTTP application: platform plugins first, then every module's routes. */
export async function buildApp(deps: Deps): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.log,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    // X-Forwarded-For only from the configured proxies (none by default)
    trustProxy: deps.config.trustedProxies.length > 0 ? deps.config.trustedProxies : false,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  const security = securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: deps.config.secureCookies,
  });
  app.addHook('onRequest', async (req, reply) => {
    reply.headers(security.set);
    for (const name of security.remove) reply.removeHeader(name);
    // API answers carry personal and revealed data: never stored by a browser or a proxy
    // (a route may set its own, e.g. a cacheable public document)
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
  // brotli or gzip for every compressible answer of 1 KB or more (the built files come precompressed)
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: true,
    // several API processes share one PostgreSQL: count there, so a limit holds across them
    // (the embedded engine is always one process: its counters stay in memory)
    ...(deps.db.engine === 'postgres' ? { store: pgRateLimitStore(deps.db) } : {}),
    max: deps.config.rateLimit * 20,
    timeWindow: '1 minute',
    errorResponseBuilder: (_req, ctx) => {
      const err = new Error('rate limited') as Error & { statusCode: number };
      err.statusCode = ctx.statusCode;
      return err;
    },
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Niudai 纽带 API',
        version: '0.1.0',
        description: '群团工作统一信息服务平台接口',
        license: { name: 'Proprietary', url: 'https://example.invalid/niudai/license' },
      },
      servers: [{ url: '/', description: '本平台（与网页同源）' }],
      components: {
        schemas: { Error: ERROR_SCHEMA as never },
        securitySchemes: {
          cookie: { type: 'apiKey', in: 'cookie', name: 'niudai_sid' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: openApiTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  installMetrics(app, deps);
  // reading one's own writes from a standby: remember the position of each successful write
  if (deps.reads.replica)
    app.addHook('onSend', async (req, reply, payload) => {
      if (
        req.method !== 'GET' &&
        req.method !== 'HEAD' &&
        reply.statusCode < 400 &&
        req.url.startsWith('/api/')
      )
        await deps.reads.markWrite(reply);
      return payload;
    });
  installAuth(app, deps);
  installInputChecks(app);
  await app.register(async (api) => registerModules(api as App, deps));
  auditCheckpoints(app, deps);
  sweepThrottle(app, deps);

  if (existsSync(WEB_DIST)) {
    await app.register(fastifyStatic, {
      root: WEB_DIST,
      wildcard: false,
      index: ['index.html'],
      // .br / .gz written next to each file at build (scripts/precompress.mjs), chosen by Accept-Encoding
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, path) => {
        // hashed file names never change their content: cached for a year; the pages are revalidated
        res.header(
          'cache-control',
          /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (!path.startsWith('/api') && req.method === 'GET' && existsSync(`${WEB_DIST}index.html`)) {
      // the masses' pages come from the small public entry, everything else from the staff app
      const page = isPublicPage(path) && existsSync(`${WEB_DIST}public.html`) ? 'public.html' : 'index.html';
      return reply.sendFile(page);
    }
    return reply.status(404).send({ error: { code: 'NOT_FOUND', message: '接口不存在', requestId: req.id } });
  });
  return app;
}
