import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { PlugboardError, isValidVersionSpec, parseVersionSpec } from '@plugboard/core';

test('every spec kind is recognised', () => {
  const table: [string, Record<string, string>][] = [
    ['1.2.3', { kind: 'exact', version: '1.2.3' }],
    ['v1.2.3', { kind: 'exact', version: '1.2.3' }],
    ['1.2.3-beta.1+build.5', { kind: 'exact', version: '1.2.3-beta.1+build.5' }],
    ['^1.2.0', { kind: 'range', range: '>=1.2.0 <2.0.0-0' }],
    ['~1.2', { kind: 'range', range: '>=1.2.0 <1.3.0-0' }],
    ['>=1 <2', { kind: 'range', range: '>=1.0.0 <2.0.0-0' }],
    ['1.x', { kind: 'range', range: '>=1.0.0 <2.0.0-0' }],
    ['1', { kind: 'range', range: '>=1.0.0 <2.0.0-0' }],
    ['*', { kind: 'range', range: '*' }],
    ['x', { kind: 'range', range: '*' }],
    ['=1.2.3', { kind: 'range', range: '1.2.3' }],
    ['^1.2 || ^2.0.1', { kind: 'range', range: '>=1.2.0 <2.0.0-0||>=2.0.1 <3.0.0-0' }],
    ['1.2.3 - 2', { kind: 'range', range: '>=1.2.3 <3.0.0-0' }],
    ['latest', { kind: 'latest' }],
    ['beta', { kind: 'channel', channel: 'beta' }],
    ['next-major', { kind: 'channel', channel: 'next-major' }],
    ['rc2', { kind: 'channel', channel: 'rc2' }],
  ];
  for (const [text, expected] of table) {
    assert.deepEqual(parseVersionSpec(text), { text, ...expected }, text);
    assert.equal(isValidVersionSpec(text), true, text);
  }
});

test('invalid specs throw VERSION_SPEC_INVALID saying what was expected', () => {
  const table: [string, string][] = [
    ['', 'is empty'],
    ['   ', 'leading or trailing spaces'],
    [' ^1', 'leading or trailing spaces'],
    ['^1 ', 'leading or trailing spaces'],
    ['||', 'empty alternative'],
    ['^1 ||', 'empty alternative'],
    ['|| 2', 'empty alternative'],
    ['Beta', 'is not a version, range or channel name'],
    ['1beta', 'is not a version, range or channel name'],
    ['beta_1', 'is not a version, range or channel name'],
    ['-beta', 'is not a version, range or channel name'],
    ['1.2.3.4', 'is not a version, range or channel name'],
    ['^', 'is not a version, range or channel name'],
    ['latest || 1', 'is not a version, range or channel name'],
    ['1'.repeat(300), 'longer than 256'],
  ];
  for (const [text, why] of table) {
    assert.throws(
      () => parseVersionSpec(text),
      (error: unknown) =>
        error instanceof PlugboardError &&
        error.code === 'VERSION_SPEC_INVALID' &&
        error.message.includes(why) &&
        error.message.includes('expected a version') &&
        typeof error.details?.['spec'] === 'string',
      JSON.stringify(text),
    );
    assert.equal(isValidVersionSpec(text), false, text);
  }
});

test('property: parseVersionSpec throws nothing but VERSION_SPEC_INVALID on any string', () => {
  const specAlphabet = fc.constantFrom(...'0123456789.^~<>=|*xX -+abetlrcv'.split(''), '||', ' - ');
  const specLike = fc.array(specAlphabet, { maxLength: 20 }).map((parts) => parts.join(''));
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 30 }), specLike), (text) => {
      try {
        const spec = parseVersionSpec(text);
        assert.equal(spec.text, text);
      } catch (error) {
        assert.ok(
          error instanceof PlugboardError && error.code === 'VERSION_SPEC_INVALID',
          String(error),
        );
      }
    }),
    { numRuns: 5000 },
  );
});
