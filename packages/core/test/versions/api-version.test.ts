import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  PlugboardError,
  apiVersionRange,
  checkApiCompatibility,
  compareApiVersions,
  isApiCompatible,
  isValidApiVersion,
  parseApiVersion,
} from '@plugboard/core';

test('API versions order v1 < v2alpha1 < v2alpha2 < v2beta1 < v2 < v10', () => {
  const ordered = ['v1', 'v2alpha1', 'v2alpha2', 'v2beta1', 'v2beta10', 'v2', 'v3alpha1', 'v10'];
  for (let i = 0; i < ordered.length; i++) {
    for (let j = 0; j < ordered.length; j++) {
      const a = ordered[i] ?? '';
      const b = ordered[j] ?? '';
      assert.equal(compareApiVersions(a, b), Math.sign(i - j), `${a} vs ${b}`);
    }
  }
});

test('parseApiVersion takes an API version apart and rejects the rest', () => {
  assert.deepEqual(parseApiVersion('v2beta3'), {
    text: 'v2beta3',
    major: 2,
    stage: 'beta',
    stageNumber: 3,
  });
  assert.deepEqual(parseApiVersion('v1'), { text: 'v1', major: 1, stage: 'ga', stageNumber: 0 });
  for (const bad of ['1', 'v0', 'v1.0', 'V1', 'v1beta', 'v1gamma1', 'v1beta0', '']) {
    assert.equal(isValidApiVersion(bad), false, bad);
    assert.throws(() => parseApiVersion(bad), { code: 'VERSION_INVALID' }, bad);
  }
});

test('requirements: min and max are inclusive, a missing bound is open', () => {
  const range = { min_api_version: 'v1', max_api_version: 'v2beta1' };
  assert.equal(isApiCompatible(range, 'v1'), true);
  assert.equal(isApiCompatible(range, 'v2alpha1'), true);
  assert.equal(isApiCompatible(range, 'v2beta1'), true);
  assert.equal(isApiCompatible(range, 'v2'), false);
  assert.equal(isApiCompatible({ min_api_version: 'v2alpha1' }, 'v1'), false);
  assert.equal(isApiCompatible({ min_api_version: 'v2alpha1' }, 'v7'), true);
  assert.equal(isApiCompatible({ max_api_version: 'v2' }, 'v1'), true);
  assert.equal(isApiCompatible({}, 'v9'), true);
});

test('a manifest without requirements speaks exactly its api_version (default v1)', () => {
  assert.deepEqual(apiVersionRange({ name: 'a' }), { min: 'v1', max: 'v1' });
  assert.deepEqual(apiVersionRange({ name: 'a', api_version: 'v2beta1' }), {
    min: 'v2beta1',
    max: 'v2beta1',
  });
  assert.deepEqual(
    apiVersionRange({ name: 'a', api_version: 'v2', requirements: { min_api_version: 'v1' } }),
    { min: 'v1', max: 'v2' },
  );
  assert.equal(isApiCompatible({ name: 'a' }, 'v1'), true);
  assert.equal(isApiCompatible({ name: 'a' }, 'v2'), false);
});

test('API_VERSION_INCOMPATIBLE names the plugin, its range and the host version', () => {
  const manifest = {
    name: 'kubecost',
    api_version: 'v1',
    requirements: { min_api_version: 'v1', max_api_version: 'v1' },
  };
  assert.throws(
    () => checkApiCompatibility(manifest, 'v2'),
    (error: unknown) =>
      error instanceof PlugboardError &&
      error.code === 'API_VERSION_INCOMPATIBLE' &&
      error.message === 'plugin "kubecost" supports API v1, but the host speaks v2' &&
      error.details?.['minApiVersion'] === 'v1' &&
      error.details['maxApiVersion'] === 'v1' &&
      error.details['hostApiVersion'] === 'v2',
  );
  assert.throws(
    () => checkApiCompatibility({ min_api_version: 'v2', max_api_version: 'v3' }, 'v1'),
    /the plugin supports API v2 to v3, but the host speaks v1/,
  );
  assert.throws(() => checkApiCompatibility({ min_api_version: 'v3' }, 'v2'), /v3 or later/);
  assert.doesNotThrow(() => checkApiCompatibility(manifest, 'v1'));
});

test('malformed bounds or host versions are VERSION_INVALID, and isApiCompatible says false', () => {
  assert.throws(() => checkApiCompatibility({ min_api_version: '1.0' }, 'v1'), {
    code: 'VERSION_INVALID',
  });
  assert.throws(() => checkApiCompatibility({}, 'one'), { code: 'VERSION_INVALID' });
  assert.equal(isApiCompatible({ min_api_version: '1.0' }, 'v1'), false);
});

test('property: compareApiVersions is a total order consistent with isApiCompatible', () => {
  const apiArb = fc
    .tuple(
      fc.integer({ min: 1, max: 4 }),
      fc.constantFrom('', 'alpha', 'beta'),
      fc.integer({ min: 1, max: 3 }),
    )
    .map(([major, stage, n]) => `v${major}${stage === '' ? '' : `${stage}${n}`}`);
  fc.assert(
    fc.property(apiArb, apiArb, apiArb, (min, max, host) => {
      assert.equal(compareApiVersions(min, max) + compareApiVersions(max, min), 0);
      const inside = compareApiVersions(min, host) <= 0 && compareApiVersions(host, max) <= 0;
      assert.equal(isApiCompatible({ min_api_version: min, max_api_version: max }, host), inside);
    }),
  );
});
