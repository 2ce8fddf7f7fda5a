/** One error type with stable codes; the HTTP layer maps it to one body shape. */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'VALIDATION'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'LOCKED'
  | 'INTERNAL';

const STATUS: Record<ErrorCode, number> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  VALIDATION: 400,
  CONFLICT: 409,
  UNAUTHENTICATED: 401,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  LOCKED: 423,
  INTERNAL: 500,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export const notFound = (what = '记录') => new AppError('NOT_FOUND', `${what}不存在或无权访问`);
export const forbidden = (message = '没有执行此操作的权限') => new AppError('FORBIDDEN', message);
export const conflict = (message: string, details?: unknown) => new AppError('CONFLICT', message, details);
export const invalid = (message: string, details?: unknown) => new AppError('VALIDATION', message, details);
export const staleVersion = () =>
  new AppError('CONFLICT', '数据已被他人修改，请刷新后重试', { reason: 'version' });

/** PostgreSQL error codes that a user's input can cause, mapped to clear errors. */
export function fromDbError(err: unknown): AppError | undefined {
  const e = err as { code?: string; constraint?: string; detail?: string };
  if (e.code === '23505') return conflict('记录重复：同名或同编码的记录已存在', { constraint: e.constraint });
  if (e.code === '23503') return invalid('引用的记录不存在', { constraint: e.constraint });
  if (e.code === '23514') return invalid('数据不符合约束', { constraint: e.constraint });
  if (e.code === '22P02' || e.code === '22003' || e.code === '22007' || e.code === '22008')
    return invalid('数据格式不正确');
  if (e.code === '40001' || e.code === '40P01') return conflict('并发操作冲突，请重试');
  return undefined;
}
