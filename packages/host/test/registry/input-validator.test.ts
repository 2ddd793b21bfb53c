import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileSchema, isPlugboardError, type Capability } from '@plugboard/core';
import { InputValidator } from '../../src/index.js';
import { trivialSchemaCheck } from '../../src/registry/trivial-schema-check.js';

function capability(schema: Record<string, unknown>): Capability {
  // A fresh object each time, as a new host or a rediscovery reads it from the cache file.
  return { type: 'echo', endpoints: ['echo'], schemas: { echo: structuredClone(schema) } };
}

function problemsOf(validator: InputValidator, cap: Capability, input: unknown): unknown[] {
  try {
    validator.check(cap, 'echo', input, 'plugin "p" echo/echo');
    return [];
  } catch (error) {
    assert.ok(isPlugboardError(error, 'INVALID_ARGUMENT'), String(error));
    return [...error.problems];
  }
}

const VALUES: unknown[] = [
  {},
  { a: 1 },
  [],
  [1, 'x'],
  '',
  'text',
  0,
  -3,
  1.5,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  null,
  undefined,
];

describe('InputValidator', () => {
  test('trivial schemas give the verdict and problems Ajv gives', () => {
    const schemas = [
      {},
      { description: 'anything' },
      ...['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'].map((type) => ({
        type,
        title: `a ${type}`,
      })),
    ];
    for (const schema of schemas) {
      const trivial = trivialSchemaCheck(schema);
      assert.ok(trivial !== undefined, `${JSON.stringify(schema)} is trivial`);
      const ajv = compileSchema(schema);
      for (const value of VALUES) {
        assert.deepEqual(
          trivial(value),
          ajv(value),
          `${JSON.stringify(schema)} on ${String(value)}`,
        );
      }
    }
  });

  test('anything more than a type is left to Ajv', () => {
    for (const schema of [
      { type: ['string', 'null'] },
      { type: 'toString' },
      { type: 'object', required: ['a'] },
      { $schema: 'https://json-schema.org/draft/2020-12/schema' },
      { minimum: 1 },
      { $ref: '#/$defs/x', $defs: { x: {} } },
    ]) {
      assert.equal(trivialSchemaCheck(schema), undefined, JSON.stringify(schema));
    }
  });

  test('a schema is compiled once per text: new hosts and rediscoveries reuse it, even with an $id', () => {
    const schema = {
      $id: 'https://plugboard.test/schemas/echo-input',
      type: 'object',
      required: ['message'],
      properties: { message: { type: 'string' } },
    };
    // Ajv refuses a second schema object with the same $id, so this fails unless it is reused.
    for (let host = 0; host < 3; host++) {
      const validator = new InputValidator();
      assert.deepEqual(problemsOf(validator, capability(schema), { message: 'hi' }), []);
      assert.deepEqual(problemsOf(validator, capability(schema), {}), [
        { path: 'message', message: 'is required' },
      ]);
    }
  });

  test('an endpoint without a schema takes any input; {type: object} refuses anything else', () => {
    const validator = new InputValidator();
    const none: Capability = { type: 'echo', endpoints: ['echo'] };
    assert.deepEqual(problemsOf(validator, none, 42), []);
    const objects = capability({ type: 'object' });
    assert.deepEqual(problemsOf(validator, objects, { a: 1 }), []);
    assert.deepEqual(problemsOf(validator, objects, [1]), [
      { path: '', message: 'must be object' },
    ]);
  });
});
