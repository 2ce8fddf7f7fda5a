import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, fromDbError } from '../errors.js';

/** One error body for everything: `{ error: { code, message, details?, requestId } }`. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    let e: AppError;
    if (err instanceof AppError) e = err;
    else if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        path: `${err.validationContext ?? ''}${v.instancePath}`,
        message: v.message,
      }));
      const first = details[0];
      const where = first?.path.replace(/^(body|querystring|params)\/?/, '').replaceAll('/', '.');
      const message = first
        ? `请求参数不正确：${where ? `${where} ` : ''}${first.message}`
        : '请求参数不正确';
      e = new AppError('VALIDATION', message, details);
    } else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      e = new AppError('PAYLOAD_TOO_LARGE', '请求内容过大');
    else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      e = new AppError('VALIDATION', '不支持的内容类型');
    else if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') e = new AppError('VALIDATION', '请求体不能为空');
    else if (
      err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      (err.statusCode === 400 && err instanceof SyntaxError)
    )
      e = new AppError('VALIDATION', '请求体不是合法的 JSON');
    else if (err.statusCode === 429) e = new AppError('RATE_LIMITED', '请求过于频繁，请稍后再试');
    else {
      const db = fromDbError(err);
      if (db) e = db;
      else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
        e = new AppError('VALIDATION', '请求不正确', { reason: err.code });
      else {
        req.log.error({ err }, 'unhandled error');
        e = new AppError('INTERNAL', '服务器内部错误，请稍后重试');
      }
    }
    if (e.code !== 'INTERNAL' && e.status >= 500) req.log.error({ err }, 'server error');
    const body = {
      error: {
        code: e.code,
        message: e.message,
        ...(e.details === undefined ? {} : { details: e.details }),
        requestId: req.id,
      },
    };
    void reply.status(e.status).header('cache-control', 'no-store').send(body);
  });
}
