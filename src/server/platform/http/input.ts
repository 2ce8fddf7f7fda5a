import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/**
 * The one place every input passes: a NUL character (U+0000) in any text of a request —
 * query, path parameters, a parsed body (JSON, form), object keys included, and the field
 * values, field names and file names of multipart uploads as they are read — is refused
 * with 400 VALIDATION. PostgreSQL cannot store it (text and jsonb refuse it), so it would
 * otherwise end as a 500 deep inside a query. Raw file bodies (buffers) are not text and
 * pass untouched.
 */
const MAX_DEPTH = 64;

/** The path of the first string (or key) holding U+0000, or null. */
export function findNul(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '.' : null;
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value) || depth > MAX_DEPTH) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findNul(value[i], `${path}[${i}]`, depth + 1);
      if (hit) return hit;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.includes('\u0000')) return `${path}.${k.replaceAll('\u0000', '\\0')}`;
    const hit = findNul(v, `${path}.${k}`, depth + 1);
    if (hit) return hit;
  }
  return null;
}

function refuse(where: string): never {
  throw new AppError('VALIDATION', '请求内容含有不允许的空字符（\\0），请删除后重试', {
    reason: 'nul',
    path: where,
  });
}

function check(where: string, value: unknown) {
  const hit = findNul(value);
  if (hit) refuse(`${where}${hit === '.' ? '' : hit}`);
}

type Part = { fieldname?: string; filename?: string; value?: unknown; fields?: Record<string, unknown> };

/** A multipart part (file or field) and the fields read with it. */
function checkPart(p: Part | undefined) {
  if (!p) return;
  check('multipart', [p.fieldname, p.filename, typeof p.value === 'string' ? p.value : null]);
  for (const f of Object.values(p.fields ?? {}))
    for (const x of Array.isArray(f) ? f : [f]) {
      const q = x as Part;
      check('multipart', [q.fieldname, q.filename, typeof q.value === 'string' ? q.value : null]);
    }
}

/** Wraps @fastify/multipart's readers of this request (present only in routes that take uploads). */
function guardMultipart(req: FastifyRequest) {
  const r = req as unknown as Record<string, unknown> & { isMultipart?: () => boolean };
  if (typeof r.isMultipart !== 'function' || !r.isMultipart()) return;
  const file = r.file as ((...a: unknown[]) => Promise<Part | undefined>) | undefined;
  if (typeof file === 'function')
    r.file = async (...a: unknown[]) => {
      const p = await file.apply(req, a);
      checkPart(p);
      return p;
    };
  for (const name of ['files', 'parts'] as const) {
    const iter = r[name] as ((...a: unknown[]) => AsyncIterable<Part>) | undefined;
    if (typeof iter === 'function')
      r[name] = async function* (...a: unknown[]) {
        for await (const p of iter.apply(req, a)) {
          checkPart(p);
          yield p;
        }
      };
  }
}

export function installInputChecks(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    check('querystring', req.query);
    check('params', req.params);
    check('body', req.body);
    guardMultipart(req);
  });
}
