import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { compileInputSchema } from '@plugboard/sdk/schema';

// compileInputSchema checks common schemas itself (Ajv is slow to load, and plugin start is
// measured) and must agree with Ajv, which it falls back to for everything else.

const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });

const leaf = fc.oneof(
  fc.record({ type: fc.constantFrom('string', 'number', 'integer', 'boolean', 'null') }),
  fc.record(
    { type: fc.constant('string'), minLength: fc.nat(3), maxLength: fc.nat(5) },
    { requiredKeys: ['type'] },
  ),
  fc.record({ type: fc.constant('string'), pattern: fc.constantFrom('^a', 'b$', '^[0-9]+$') }),
  fc.record(
    {
      type: fc.constantFrom('number', 'integer'),
      minimum: fc.integer({ min: -5, max: 5 }),
      exclusiveMaximum: fc.integer({ min: -5, max: 5 }),
    },
    { requiredKeys: ['type'] },
  ),
  fc.record({ enum: fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 1, maxLength: 3 }) }),
  fc.record({ const: fc.jsonValue({ maxDepth: 1 }) }),
  fc.record({ type: fc.constant(['string', 'null']) }),
  fc.constant({}),
  fc.boolean(),
);

const { schema } = fc.letrec((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    tie('object'),
    tie('array'),
  ),
  object: fc.record(
    {
      type: fc.constant('object'),
      properties: fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('schema'), { maxKeys: 3 }),
      required: fc.subarray(['a', 'b', 'd']),
      additionalProperties: fc.oneof(fc.boolean(), tie('schema')),
    },
    { requiredKeys: ['type'] },
  ),
  array: fc.record(
    { type: fc.constant('array'), items: tie('schema'), minItems: fc.nat(2), maxItems: fc.nat(4) },
    { requiredKeys: ['type'] },
  ),
}));

const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, 1, -3, 2.5, '', 'a', 'ab', 'b', '123', 'aéb'),
    fc.array(tie('any'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('any'), { maxKeys: 4 }),
  ),
})).any;

test('the built-in checker agrees with Ajv on validity, and reports only what Ajv reports', async () => {
  const checks = new Map<string, Awaited<ReturnType<typeof compileInputSchema>>>();
  for (const sample of fc.sample(
    fc.tuple(schema, fc.array(value, { minLength: 1, maxLength: 8 })),
    { numRuns: 400, seed: 42 },
  )) {
    const [s, values] = sample;
    const key = JSON.stringify(s);
    let check = checks.get(key);
    if (check === undefined) {
      check = await compileInputSchema(s as Record<string, unknown> | boolean);
      checks.set(key, check);
    }
    const validate = ajv.compile(s as Record<string, unknown> | boolean);
    for (const v of values) {
      const ours = check(v);
      const ajvValid = validate(v);
      assert.equal(
        ours.length === 0,
        ajvValid,
        `schema ${key}, value ${JSON.stringify(v)}: ours ${JSON.stringify(ours)}, ajv ${JSON.stringify(validate.errors)}`,
      );
    }
  }
});

test('messages and paths match what callers see from Ajv', async () => {
  const check = await compileInputSchema({
    type: 'object',
    required: ['n', 'name'],
    properties: {
      n: { type: 'integer', minimum: 0 },
      name: { type: 'string' },
      tags: { type: 'array', items: { type: 'string', maxLength: 2 } },
    },
    additionalProperties: false,
  });
  assert.deepEqual(check({ n: 1.5, tags: ['ok', 'long'], extra: 1 }), [
    { path: 'name', message: 'is required' },
    { path: 'n', message: 'must be integer' },
    { path: 'tags[1]', message: 'must NOT have more than 2 characters' },
    { path: 'extra', message: 'is not allowed here' },
  ]);
  assert.deepEqual(check({ n: -1, name: 'x' }), [{ path: 'n', message: 'must be >= 0' }]);
});

test('schemas with other keywords are checked by Ajv', async () => {
  const check = await compileInputSchema({ oneOf: [{ type: 'string' }, { type: 'integer' }] });
  assert.deepEqual(check('x'), []);
  assert.deepEqual(check(3), []);
  assert.ok(check(true).length > 0);
  const withRef = await compileInputSchema({
    $defs: { pos: { type: 'integer', minimum: 1 } },
    properties: { a: { $ref: '#/$defs/pos' } },
  });
  assert.deepEqual(
    withRef({ a: 0 }).map((p) => p.path),
    ['a'],
  );
});
