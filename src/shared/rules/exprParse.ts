/**
 * Lexer and parser of the platform's rule expressions (see expr.ts for the language and API).
 * Pure: no I/O, no eval/Function. Every node keeps its source span so that errors found when a
 * rule is saved or evaluated point at the offending part.
 */

/** A source span: `start` inclusive, `end` exclusive, both 0-based character offsets. */
export interface Span {
  start: number;
  end: number;
}

export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'and'
  | 'or';
export type UnaryOp = '-' | '+' | 'not';

export type ExprNode =
  | ({ kind: 'num'; value: number } & Span)
  | ({ kind: 'str'; value: string } & Span)
  | ({ kind: 'bool'; value: boolean } & Span)
  | ({ kind: 'null' } & Span)
  | ({ kind: 'var'; name: string } & Span)
  | ({ kind: 'unary'; op: UnaryOp; arg: ExprNode } & Span)
  | ({ kind: 'binary'; op: BinaryOp; left: ExprNode; right: ExprNode } & Span)
  | ({ kind: 'call'; name: string; nameSpan: Span; args: ExprNode[] } & Span);

export type ExprErrorCode =
  | 'SYNTAX'
  | 'TOO_LONG'
  | 'TOO_DEEP'
  | 'UNKNOWN_VARIABLE'
  | 'UNKNOWN_FUNCTION'
  | 'ARITY'
  | 'TYPE'
  | 'ARGUMENT'
  | 'DIV_ZERO'
  | 'MISSING_VALUE'
  | 'FUNCTION_FAILED'
  | 'NOT_A_NUMBER';

/** An error with the position it refers to; `line`/`column` are 1-based, for people. */
export interface ExprError extends Span {
  code: ExprErrorCode;
  message: string;
  line: number;
  column: number;
}

export const MAX_EXPR_LENGTH = 4000;
export const MAX_EXPR_DEPTH = 64;

export class ExprSyntaxError extends Error {
  constructor(readonly error: ExprError) {
    super(error.message);
  }
}

export function positionOf(src: string, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < src.length; i++) {
    if (src[i] === '\n') {
      line++;
      column = 1;
    } else column++;
  }
  return { line, column };
}

export function makeError(src: string, code: ExprErrorCode, span: Span, message: string): ExprError {
  const { line, column } = positionOf(src, span.start);
  return {
    code,
    message: `第 ${line} 行第 ${column} 列：${message}`,
    start: span.start,
    end: span.end,
    line,
    column,
  };
}

type TokKind = 'num' | 'str' | 'ident' | 'op' | 'eof';
interface Token extends Span {
  kind: TokKind;
  text: string;
  value?: number | string;
}

/** Full-width ASCII (Ｂ１＜＝（）， typed with a Chinese input method) read as half-width, one for one. */
function halfWidth(src: string): string {
  return src
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .replace(
      /[\u2264\u2265\u2260]/g,
      (c) => ({ '\u2264': '\u0001', '\u2265': '\u0002', '\u2260': '\u0003' })[c]!,
    );
}

const IDENT_START = /[A-Za-z_\u4e00-\u9fff]/;
const IDENT_PART = /[A-Za-z0-9_.\u4e00-\u9fff]/;
const TWO_CHAR_OPS = new Set(['<=', '>=', '!=', '<>', '==', '&&', '||']);
const ONE_CHAR_OPS = new Set(['+', '-', '*', '/', '%', '^', '(', ')', ',', '<', '>', '=', '!']);

function lex(original: string): Token[] {
  const src = halfWidth(original);
  const toks: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i))!;
      i += m[0].length;
      if (IDENT_START.test(src[i] ?? '')) {
        throw new ExprSyntaxError(
          makeError(original, 'SYNTAX', { start, end: i + 1 }, '数字后紧跟名称，缺少运算符'),
        );
      }
      toks.push({ kind: 'num', text: m[0], value: Number(m[0]), start, end: i });
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let out = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        out += original[j];
        j++;
      }
      if (j >= src.length) {
        throw new ExprSyntaxError(
          makeError(original, 'SYNTAX', { start, end: src.length }, '字符串缺少结束引号'),
        );
      }
      i = j + 1;
      toks.push({ kind: 'str', text: original.slice(start, i), value: out, start, end: i });
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < src.length && IDENT_PART.test(src[j]!)) j++;
      // A trailing dot belongs to no name ("B1." is a typo, not a name).
      while (src[j - 1] === '.') j--;
      toks.push({ kind: 'ident', text: src.slice(i, j), start, end: j });
      i = j;
      continue;
    }
    const special = { '\u0001': '<=', '\u0002': '>=', '\u0003': '!=' }[c];
    if (special) {
      toks.push({ kind: 'op', text: special, start, end: i + 1 });
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      toks.push({ kind: 'op', text: two, start, end: i + 2 });
      i += 2;
      continue;
    }
    if (ONE_CHAR_OPS.has(c)) {
      toks.push({ kind: 'op', text: c, start, end: i + 1 });
      i++;
      continue;
    }
    throw new ExprSyntaxError(
      makeError(original, 'SYNTAX', { start, end: i + 1 }, `无法识别的字符「${original[i]}」`),
    );
  }
  toks.push({ kind: 'eof', text: '', start: src.length, end: src.length });
  return toks;
}

const COMPARISON: Record<string, BinaryOp> = {
  '=': '=',
  '==': '=',
  '!=': '!=',
  '<>': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/** Recursive descent: or < and < not < comparison < + - < * / % < unary < ^ (right) < primary. */
export function parseSource(src: string): ExprNode {
  if (src.length > MAX_EXPR_LENGTH) {
    throw new ExprSyntaxError(
      makeError(
        src,
        'TOO_LONG',
        { start: MAX_EXPR_LENGTH, end: src.length },
        `表达式过长（最多 ${MAX_EXPR_LENGTH} 个字符）`,
      ),
    );
  }
  const toks = lex(src);
  let p = 0;
  let depth = 0;
  const peek = () => toks[p]!;
  const fail = (t: Token, msg: string): never => {
    throw new ExprSyntaxError(makeError(src, 'SYNTAX', t, msg));
  };
  const isWord = (t: Token, w: string) => t.kind === 'ident' && t.text.toLowerCase() === w;
  const isOp = (t: Token, o: string) => t.kind === 'op' && t.text === o;
  const enter = (t: Token) => {
    if (++depth > MAX_EXPR_DEPTH) {
      throw new ExprSyntaxError(makeError(src, 'TOO_DEEP', t, `表达式嵌套过深（最多 ${MAX_EXPR_DEPTH} 层）`));
    }
  };
  const bin = (op: BinaryOp, left: ExprNode, right: ExprNode): ExprNode => ({
    kind: 'binary',
    op,
    left,
    right,
    start: left.start,
    end: right.end,
  });

  function orExpr(): ExprNode {
    let left = andExpr();
    while (isWord(peek(), 'or') || isOp(peek(), '||')) {
      p++;
      left = bin('or', left, andExpr());
    }
    return left;
  }
  function andExpr(): ExprNode {
    let left = notExpr();
    while (isWord(peek(), 'and') || isOp(peek(), '&&')) {
      p++;
      left = bin('and', left, notExpr());
    }
    return left;
  }
  function notExpr(): ExprNode {
    const t = peek();
    if (isWord(t, 'not') || isOp(t, '!')) {
      p++;
      enter(t);
      const arg = notExpr();
      depth--;
      return { kind: 'unary', op: 'not', arg, start: t.start, end: arg.end };
    }
    return comparison();
  }
  function comparison(): ExprNode {
    const left = additive();
    const t = peek();
    const op = t.kind === 'op' ? COMPARISON[t.text] : undefined;
    if (!op) return left;
    p++;
    const right = additive();
    const next = peek();
    if (next.kind === 'op' && COMPARISON[next.text]) {
      fail(next, '比较不能连写（如 a < b < c），请用 and 连接两个比较');
    }
    return bin(op, left, right);
  }
  function additive(): ExprNode {
    let left = multiplicative();
    while (isOp(peek(), '+') || isOp(peek(), '-')) {
      const op = toks[p++]!.text as BinaryOp;
      left = bin(op, left, multiplicative());
    }
    return left;
  }
  function multiplicative(): ExprNode {
    let left = unary();
    while (isOp(peek(), '*') || isOp(peek(), '/') || isOp(peek(), '%')) {
      const op = toks[p++]!.text as BinaryOp;
      left = bin(op, left, unary());
    }
    return left;
  }
  function unary(): ExprNode {
    const t = peek();
    if (isOp(t, '-') || isOp(t, '+')) {
      p++;
      enter(t);
      const arg = unary();
      depth--;
      return { kind: 'unary', op: t.text as UnaryOp, arg, start: t.start, end: arg.end };
    }
    return power();
  }
  function power(): ExprNode {
    const base = primary();
    if (isOp(peek(), '^')) {
      p++;
      const t = peek();
      enter(t);
      const exp = unary(); // right-associative, and 2^-1 is allowed
      depth--;
      return bin('^', base, exp);
    }
    return base;
  }
  function primary(): ExprNode {
    const t = peek();
    if (t.kind === 'num') {
      p++;
      return { kind: 'num', value: t.value as number, start: t.start, end: t.end };
    }
    if (t.kind === 'str') {
      p++;
      return { kind: 'str', value: t.value as string, start: t.start, end: t.end };
    }
    if (isOp(t, '(')) {
      p++;
      enter(t);
      const inner = orExpr();
      depth--;
      const close = peek();
      if (!isOp(close, ')'))
        fail(close, close.kind === 'eof' ? '缺少右括号「)」' : `此处应为「)」，却是「${close.text}」`);
      p++;
      return { ...inner, start: t.start, end: close.end };
    }
    if (t.kind === 'ident') {
      const lower = t.text.toLowerCase();
      if (lower === 'and' || lower === 'or' || lower === 'not') fail(t, `「${t.text}」前缺少运算对象`);
      p++;
      if (lower === 'true' || lower === 'false')
        return { kind: 'bool', value: lower === 'true', start: t.start, end: t.end };
      if (lower === 'null') return { kind: 'null', start: t.start, end: t.end };
      if (isOp(peek(), '(')) {
        p++;
        enter(t);
        const args: ExprNode[] = [];
        if (!isOp(peek(), ')')) {
          for (;;) {
            args.push(orExpr());
            if (isOp(peek(), ',')) {
              p++;
              continue;
            }
            break;
          }
        }
        depth--;
        const close = peek();
        if (!isOp(close, ')'))
          fail(
            close,
            close.kind === 'eof' ? '函数调用缺少右括号「)」' : `此处应为「,」或「)」，却是「${close.text}」`,
          );
        p++;
        return {
          kind: 'call',
          name: lower,
          nameSpan: { start: t.start, end: t.end },
          args,
          start: t.start,
          end: close.end,
        };
      }
      return { kind: 'var', name: t.text, start: t.start, end: t.end };
    }
    if (t.kind === 'eof') return fail(t, '表达式不完整，缺少运算对象');
    return fail(t, `此处不应出现「${t.text}」`);
  }

  if (peek().kind === 'eof') fail(peek(), '表达式为空');
  const ast = orExpr();
  const rest = peek();
  if (rest.kind !== 'eof') fail(rest, `多余的「${rest.text}」`);
  return ast;
}
