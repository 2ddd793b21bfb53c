import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  PlugboardError,
  compareVersions,
  isPrerelease,
  isValidVersion,
  parseVersion,
  sortVersions,
} from '@plugboard/core';

test('parseVersion takes a SemVer 2.0 version apart', () => {
  assert.deepEqual(parseVersion('1.2.3-beta.2+sha.5'), {
    version: '1.2.3-beta.2+sha.5',
    major: 1,
    minor: 2,
    patch: 3,
    prerelease: ['beta', 2],
    build: ['sha', '5'],
  });
  assert.deepEqual(parseVersion('0.0.0').prerelease, []);
});

test('isValidVersion accepts strict SemVer only', () => {
  for (const valid of [
    '0.0.0',
    '1.2.3',
    '10.20.30-rc.1',
    '1.0.0-alpha-a.b-c',
    '1.0.0+20130313144700',
  ]) {
    assert.equal(isValidVersion(valid), true, valid);
  }
  for (const invalid of [
    '',
    'v1.2.3',
    '1.2',
    '01.2.3',
    '1.2.3-01',
    ' 1.2.3',
    '1.2.3 ',
    '=1.2.3',
    '1.2.3-',
    '99999999999999999999.0.0',
    `1.0.0-${'a'.repeat(300)}`,
    42,
    null,
  ]) {
    assert.equal(isValidVersion(invalid), false, String(invalid));
  }
});

test('parseVersion throws VERSION_INVALID naming the text', () => {
  assert.throws(
    () => parseVersion('v1.2'),
    (error: unknown) =>
      error instanceof PlugboardError &&
      error.code === 'VERSION_INVALID' &&
      error.message.includes('"v1.2"') &&
      error.details?.['version'] === 'v1.2',
  );
});

test('compareVersions orders by SemVer precedence, pre-releases before releases', () => {
  assert.ok(compareVersions('1.0.0-alpha', '1.0.0-alpha.1') < 0);
  assert.ok(compareVersions('1.0.0-alpha.1', '1.0.0-alpha.beta') < 0);
  assert.ok(compareVersions('1.0.0-beta.2', '1.0.0-beta.11') < 0);
  assert.ok(compareVersions('1.0.0-rc.1', '1.0.0') < 0);
  assert.ok(compareVersions('1.10.0', '1.9.0') > 0);
  assert.equal(compareVersions('2.0.0', '2.0.0'), 0);
  assert.throws(() => compareVersions('2.0', '2.0.0'), { code: 'VERSION_INVALID' });
});

test('sortVersions sorts ascending or descending and leaves its input alone', () => {
  const input = ['1.0.0', '1.0.0-rc.1', '0.9.0', '1.0.0-beta.11', '1.0.0-beta.2'];
  const copy = [...input];
  assert.deepEqual(sortVersions(input), [
    '0.9.0',
    '1.0.0-beta.2',
    '1.0.0-beta.11',
    '1.0.0-rc.1',
    '1.0.0',
  ]);
  assert.deepEqual(sortVersions(input, 'descending')[0], '1.0.0');
  assert.deepEqual(input, copy);
  assert.throws(() => sortVersions(['1.0.0', 'nope']), { code: 'VERSION_INVALID' });
});

test('isPrerelease', () => {
  assert.equal(isPrerelease('1.0.0-rc.1'), true);
  assert.equal(isPrerelease('1.0.0+build'), false);
});

test('property: parseVersion throws nothing but VERSION_INVALID on any string', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), (text) => {
      try {
        const parsed = parseVersion(text);
        assert.equal(parsed.version, text);
        assert.equal(isValidVersion(text), true);
      } catch (error) {
        assert.ok(error instanceof PlugboardError && error.code === 'VERSION_INVALID');
      }
    }),
    { numRuns: 2000 },
  );
});
