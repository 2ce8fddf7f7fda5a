import { describe, expect, it } from 'vitest';
import { nullableOnBranches, operationIdOf } from '../../../../src/server/platform/http/openapi.js';

describe('nullableOnBranches', () => {
  it('moves nullable from a type-less union onto each typed branch, at any depth', () => {
    const cell = { anyOf: [{ type: 'number' }, { type: 'string', maxLength: 500 }], nullable: true };
    expect(nullableOnBranches({ type: 'object', additionalProperties: cell })).toEqual({
      type: 'object',
      additionalProperties: {
        anyOf: [
          { type: 'number', nullable: true },
          { type: 'string', maxLength: 500, nullable: true },
        ],
      },
    });
    expect(nullableOnBranches({ items: [{ oneOf: [{ type: 'boolean' }], nullable: true }] })).toEqual({
      items: [{ oneOf: [{ type: 'boolean', nullable: true }] }],
    });
  });

  it('leaves nullable beside a type, and non-nullable unions, as they are', () => {
    const typed = { type: 'string', nullable: true };
    const plain = { anyOf: [{ type: 'number' }, { type: 'string' }] };
    expect(nullableOnBranches(typed)).toEqual(typed);
    expect(nullableOnBranches(plain)).toEqual(plain);
    expect(nullableOnBranches(null)).toBeNull();
  });
});

describe('operationIdOf', () => {
  it('is one camel-case word per method and path', () => {
    expect(operationIdOf('GET', '/api/appeals/{id}/events')).toBe('getApiAppealsIdEvents');
    expect(operationIdOf('POST', '/api/open311/v2/requests.json')).toBe('postApiOpen311V2RequestsJson');
  });
});
