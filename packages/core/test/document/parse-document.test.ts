import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PlugboardError, parseDocument } from '@plugboard/core';

test('JSON and YAML parse to the same value', () => {
  assert.deepEqual(parseDocument('{"a": [1, "x"]}'), { a: [1, 'x'] });
  assert.deepEqual(parseDocument('a:\n  - 1\n  - x\n'), { a: [1, 'x'] });
  assert.deepEqual(parseDocument('\uFEFF{"a": 1}'), { a: 1 });
});

test('YAML errors name the line and column', () => {
  try {
    parseDocument('a: 1\nb: [1, 2\n', { name: 'bad.yaml' });
    assert.fail('expected a parse error');
  } catch (error) {
    assert.ok(error instanceof PlugboardError);
    assert.equal(error.code, 'PARSE_ERROR');
    assert.match(error.message, /^bad\.yaml: invalid YAML at line \d+, column \d+/);
    assert.equal(typeof error.details?.['line'], 'number');
  }
});

test('duplicate keys and several documents are refused', () => {
  assert.throws(
    () => parseDocument('a: 1\na: 2\n'),
    (e: unknown) => e instanceof PlugboardError && e.code === 'PARSE_ERROR',
  );
  assert.throws(
    () => parseDocument('a: 1\n---\nb: 2\n'),
    (e: unknown) => e instanceof PlugboardError && /2 YAML documents/.test(e.message),
  );
});

test('alias bombs are refused instead of expanding', () => {
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 12; i += 1)
    lines.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(', ')}]`,
    );
  assert.throws(
    () => parseDocument(lines.join('\n')),
    (e: unknown) => e instanceof PlugboardError && e.code === 'PARSE_ERROR',
  );
});

test('an empty document is null', () => {
  assert.equal(parseDocument(''), null);
  assert.equal(parseDocument('# just a comment\n'), null);
});
