import type { SwaggerTransform } from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/**
 * What the OpenAPI document says beyond each route's own schema, added in one place so that
 * every operation is usable by an integrator: an `operationId`, its security (public ones
 * say so with `security: []`), and the error body on the 4xx answers it may give.
 * Summaries are written by each route (`schema.summary`); a test checks none is missing.
 */

/** Paths anyone may call without signing in (a session or an API token). */
const PUBLIC_PATHS = [
  /^\/api\/public\//,
  /^\/api\/health(\/|$)/,
  /^\/api\/auth\/login$/,
  /^\/api\/open311\//,
];
export const isPublicPath = (path: string): boolean => PUBLIC_PATHS.some((r) => r.test(path));

const ERROR_CODES = [
  'VALIDATION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
];
export const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'requestId'],
      properties: {
        code: { type: 'string', description: '稳定的错误代码', examples: ERROR_CODES },
        message: { type: 'string', description: '面向用户的中文说明' },
        details: { description: '出错的字段或原因（可选）' },
        requestId: { type: 'string', description: '请求编号，反馈问题时提供' },
      },
    },
  },
} as const;

const ERROR_RESPONSES: Record<string, string> = {
  '400': '请求参数不正确',
  '401': '未登录或登录已过期',
  '403': '无此操作权限',
  '404': '资源不存在或不在数据范围内',
  '409': '数据已被他人修改或状态不允许',
  '429': '请求过于频繁',
};

/** `GET /api/appeals/{id}/events` → `getApiAppealsIdEvents`: unique and stable per route. */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .replace(/\.json$/, 'Json')
    .split(/[/\-_.{}:]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1));
  return method.toLowerCase() + words.join('');
}

/**
 * OpenAPI 3.0 only honours `nullable` beside a `type`: a nullable union (`anyOf` without a
 * `type`, as zod writes `z.union([...]).nullable()`) gets `nullable` on each of its branches
 * instead, which says the same thing in a form every client generator reads.
 */
export function nullableOnBranches(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableOnBranches);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = nullableOnBranches(v);
  const branches = (out.anyOf ?? out.oneOf) as Record<string, unknown>[] | undefined;
  if (out.nullable === true && out.type === undefined && Array.isArray(branches)) {
    const key = out.anyOf ? 'anyOf' : 'oneOf';
    out[key] = branches.map((b) => (b.type !== undefined ? { ...b, nullable: true } : b));
    delete out.nullable;
  }
  return out;
}

export const openApiTransform: SwaggerTransform = (arg) => {
  const out = jsonSchemaTransform(arg as Parameters<typeof jsonSchemaTransform>[0]) as {
    schema: Record<string, unknown>;
    url: string;
  };
  const method = Array.isArray(arg.route.method) ? arg.route.method[0] : arg.route.method;
  const schema = nullableOnBranches(out.schema) as Record<string, unknown>;
  schema.operationId ??= operationIdOf(String(method), out.url);
  const open = isPublicPath(out.url);
  schema.security ??= open ? [] : [{ cookie: [] }, { bearer: [] }];
  const response = { ...((schema.response as Record<string, unknown>) ?? {}) };
  for (const [status, description] of Object.entries(ERROR_RESPONSES)) {
    if (open && (status === '401' || status === '403')) continue;
    response[status] ??= {
      description,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  if (!Object.keys(response).some((s) => /^2\d\d$/.test(s))) response['200'] = { description: '成功' };
  schema.response = response;
  return { schema, url: out.url } as ReturnType<SwaggerTransform>;
};
