import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from './support/system.js';

/**
 * The OpenAPI document as the app builds it from its routes (scripts/openapi-check.sh lints
 * the written file under Redocly's rules; this test guards what a new route most easily
 * forgets, with the offending operations named).
 */
type Operation = { summary?: string; operationId?: string };
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
};

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

let sys: TestSystem;
let doc: Doc;
let ops: { method: string; path: string; op: Operation }[];
beforeAll(async () => {
  sys = await createTestSystem({ seed: false });
  doc = sys.app.swagger() as unknown as Doc;
  ops = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, op]) => ({ method, path, op })),
  );
});
afterAll(() => sys?.close());

describe('OpenAPI document', () => {
  it('documents the routes of every module', () => {
    expect(ops.length).toBeGreaterThan(150);
    for (const p of ['/api/appeals', '/api/tasks', '/api/stats/forms', '/api/activities', '/api/me/todo'])
      expect(Object.keys(doc.paths)).toContain(p);
  });

  it('gives every operation a summary (schema.summary on the route)', () => {
    const missing = ops
      .filter(({ op }) => typeof op.summary !== 'string' || op.summary.trim() === '')
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(missing, 'routes without schema.summary').toEqual([]);
  });

  it('gives distinct operations distinct summaries within a path', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      const summaries = Object.values(item).map((op) => op.summary);
      expect(new Set(summaries).size, path).toBe(summaries.length);
    }
  });

  it('gives every operation a unique operationId', () => {
    const seen = new Map<string, string>();
    const dup: string[] = [];
    for (const { method, path, op } of ops) {
      const key = `${method.toUpperCase()} ${path}`;
      if (!op.operationId) dup.push(`${key}: no operationId`);
      else if (seen.has(op.operationId)) dup.push(`${key} and ${seen.get(op.operationId)}`);
      else seen.set(op.operationId, key);
    }
    expect(dup).toEqual([]);
  });

  // Redocly's no-ambiguous-paths is off (redocly.yaml) for one pair of paths that differ by
  // method; this is the part of it that matters: no two routes of the same method whose paths
  // differ only by the names of their parameters.
  it('has no two operations of one method on the same path shape', () => {
    const seen = new Map<string, string>();
    const clash: string[] = [];
    for (const { method, path } of ops) {
      const shape = `${method} ${path.replace(/\{[^}]+\}/g, '{}')}`;
      if (seen.has(shape)) clash.push(`${method.toUpperCase()} ${path} vs ${seen.get(shape)}`);
      else seen.set(shape, path);
    }
    expect(clash).toEqual([]);
  });

  it('resolves every schema reference to a component', () => {
    const defined = new Set(Object.keys(doc.components?.schemas ?? {}));
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1]!,
    );
    expect(refs.length).toBeGreaterThan(0);
    expect([...new Set(refs)].filter((r) => !defined.has(r))).toEqual([]);
  });
});
