import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import semver from 'semver';
import { PlugboardError, isYanked, resolveVersion, type VersionCandidate } from '@plugboard/core';

const published: VersionCandidate[] = [
  { version: '0.9.0' },
  { version: '1.0.0', deprecated: 'use 1.2.x' },
  { version: '1.1.0' },
  { version: '1.2.0' },
  { version: '1.2.1', yanked: 'leaks credentials' },
  { version: '1.3.0-beta.1' },
  { version: '1.3.0-beta.2' },
  { version: '2.0.0-alpha.1' },
  { version: '2.0.0-beta.1' },
  { version: '2.0.0-beta.2', yanked: true },
  { version: '2.0.0-rc.1' },
];

function resolved(spec: string, candidates = published, distTags?: Record<string, string>) {
  return resolveVersion(spec, candidates, { distTags });
}

test('table: every spec kind picks the expected version', () => {
  const table: [string, string][] = [
    ['1.1.0', '1.1.0'],
    ['v1.1.0', '1.1.0'],
    ['^1.0.0', '1.2.0'],
    ['~1.1', '1.1.0'],
    ['>=1 <2', '1.2.0'],
    ['1.x', '1.2.0'],
    ['*', '1.2.0'],
    ['<1', '0.9.0'],
    ['^0.9 || ^1.1', '1.2.0'],
    ['latest', '1.2.0'],
    ['beta', '2.0.0-beta.1'],
    ['alpha', '2.0.0-alpha.1'],
    ['rc', '2.0.0-rc.1'],
    ['2.0.0-beta.1', '2.0.0-beta.1'],
  ];
  for (const [spec, expected] of table) {
    assert.equal(resolved(spec).version, expected, spec);
  }
});

test('npm pre-release rule: a range admits pre-releases only on the tuple it names', () => {
  assert.equal(resolved('^1.3.0-beta.1').version, '1.3.0-beta.2');
  assert.equal(resolved('>=1.3.0-beta.1').version, '1.3.0-beta.2');
  assert.equal(resolved('^2.0.0-alpha.0').version, '2.0.0-rc.1');
  // `^1.2.0-beta.1` names the 1.2.0 tuple, so 1.3.0-beta.* stays out; 1.2.0 is the best release.
  assert.equal(resolved('^1.2.0-beta.1').version, '1.2.0');
  assert.throws(() => resolved('>=2'), { code: 'VERSION_NOT_FOUND' });
});

test('yanked versions are never chosen, except by exact version (with a warning)', () => {
  assert.equal(resolved('~1.2').version, '1.2.0');
  // Only the yanked 1.2.1 satisfies this range, so nothing qualifies.
  assert.throws(() => resolved('>1.2.0 <1.3.0'), { code: 'VERSION_NOT_FOUND' });
  const exact = resolved('1.2.1');
  assert.equal(exact.version, '1.2.1');
  assert.equal(exact.warnings.length, 1);
  assert.match(exact.warnings[0] ?? '', /1\.2\.1 is yanked \(leaks credentials\)/);
  assert.equal(resolved('beta').version, '2.0.0-beta.1', 'the yanked beta.2 is skipped');
});

test('deprecated versions may be chosen and carry a warning', () => {
  const pick = resolved('1.0.0');
  assert.equal(pick.version, '1.0.0');
  assert.deepEqual(pick.warnings, ['1.0.0 is deprecated: use 1.2.x']);
  const bare = resolveVersion('*', [{ version: '3.0.0', deprecated: true }]);
  assert.deepEqual(bare.warnings, ['3.0.0 is deprecated']);
  const lifted = resolveVersion('*', [{ version: '3.0.0', deprecated: '' }]);
  assert.deepEqual(lifted.warnings, [], 'an empty message means not deprecated');
  assert.deepEqual(resolved('1.1.0').warnings, []);
});

test('the candidate object itself comes back, typed', () => {
  const candidates = [{ version: '1.0.0', manifest_url: 'https://example.com/1.0.0' }];
  const pick = resolveVersion('^1', candidates);
  assert.equal(pick.candidate, candidates[0]);
  assert.equal(pick.candidate.manifest_url, 'https://example.com/1.0.0');
});

test('dist-tags: latest and channels follow the tag when it is usable', () => {
  assert.equal(resolved('latest', published, { latest: '1.1.0' }).version, '1.1.0');
  assert.equal(resolved('latest', published, { latest: '2.0.0-rc.1' }).version, '2.0.0-rc.1');
  assert.equal(resolved('beta', published, { beta: '1.3.0-beta.1' }).version, '1.3.0-beta.1');
  assert.equal(resolved('next', published, { next: '2.0.0-alpha.1' }).version, '2.0.0-alpha.1');
  assert.equal(resolved('stable', published, { stable: '1.1.0' }).version, '1.1.0');
});

test('dist-tags that point to yanked, missing or invalid versions are ignored with a warning', () => {
  const yanked = resolved('latest', published, { latest: '1.2.1' });
  assert.equal(yanked.version, '1.2.0');
  assert.match(yanked.warnings[0] ?? '', /"latest" points to 1\.2\.1, which is yanked/);
  const missing = resolved('beta', published, { beta: '9.0.0-beta.1' });
  assert.equal(missing.version, '2.0.0-beta.1');
  assert.match(missing.warnings[0] ?? '', /not published/);
  const invalid = resolved('latest', published, { latest: 'banana' });
  assert.equal(invalid.version, '1.2.0');
  assert.match(invalid.warnings[0] ?? '', /not a version/);
});

test('a channel without a tag or matching pre-release is not found', () => {
  assert.throws(() => resolved('nightly'), { code: 'VERSION_NOT_FOUND' });
  // An inherited property of a plain object is not a dist-tag.
  assert.throws(() => resolved('constructor', published, {}), { code: 'VERSION_NOT_FOUND' });
});

test('channel pre-releases: the channel name alone or followed by digits', () => {
  const candidates = [
    { version: '1.0.0-beta' },
    { version: '1.0.0-beta2' },
    { version: '1.0.0-betamax.9' },
    { version: '0.9.0-beta.9' },
  ];
  assert.equal(resolveVersion('beta', candidates).version, '1.0.0-beta2');
  assert.equal(resolveVersion('betamax', candidates).version, '1.0.0-betamax.9');
});

test('latest ignores pre-releases and says so when only pre-releases exist', () => {
  assert.throws(
    () => resolveVersion('latest', [{ version: '0.1.0-alpha.1' }], { subject: 'kubecost' }),
    (error: unknown) =>
      error instanceof PlugboardError &&
      error.code === 'VERSION_NOT_FOUND' &&
      error.message.includes('of kubecost') &&
      error.message.includes('only pre-releases'),
  );
});

test('VERSION_NOT_FOUND carries the spec and the available versions, newest first', () => {
  assert.throws(
    () => resolved('^3'),
    (error: unknown) => {
      assert.ok(error instanceof PlugboardError);
      assert.equal(error.code, 'VERSION_NOT_FOUND');
      assert.equal(error.details?.['spec'], '^3');
      const available = error.details?.['available'] as string[];
      assert.equal(available[0], '2.0.0-rc.1');
      assert.equal(available.includes('1.2.1'), false);
      assert.deepEqual(error.details?.['yanked'], ['2.0.0-beta.2', '1.2.1']);
      assert.match(error.message, /no version satisfies "\^3"; available: 2\.0\.0-rc\.1, /);
      return true;
    },
  );
  assert.throws(() => resolveVersion('1.0.0', []), /none is published/);
  assert.throws(
    () => resolveVersion('*', [{ version: '1.0.0', yanked: true }]),
    /every published version is yanked/,
  );
});

test('exact versions match any build unless the spec names one', () => {
  const builds = [{ version: '1.0.0+a' }, { version: '1.0.0+b' }];
  assert.equal(resolveVersion('1.0.0', builds).version, '1.0.0+b');
  assert.equal(resolveVersion('1.0.0+a', builds).version, '1.0.0+a');
  assert.throws(() => resolveVersion('1.0.0+c', builds), { code: 'VERSION_NOT_FOUND' });
});

test('bad specs and bad candidates are reported with their own codes', () => {
  assert.throws(() => resolved('Not A Spec'), { code: 'VERSION_SPEC_INVALID' });
  assert.throws(
    () => resolveVersion('*', [{ version: '1.0.0' }, { version: 'v2' }]),
    (error: unknown) =>
      error instanceof PlugboardError &&
      error.code === 'VERSION_INVALID' &&
      error.message.includes('candidate [1]'),
  );
});

// ---- properties ----

const versionArb = fc
  .record({
    major: fc.integer({ min: 0, max: 3 }),
    minor: fc.integer({ min: 0, max: 3 }),
    patch: fc.integer({ min: 0, max: 2 }),
    pre: fc.option(
      fc.tuple(fc.constantFrom('alpha', 'beta', 'rc'), fc.integer({ min: 0, max: 3 })),
      { freq: 3 },
    ),
  })
  .map(
    ({ major, minor, patch, pre }) =>
      `${major}.${minor}.${patch}${pre === null ? '' : `-${pre[0]}.${pre[1]}`}`,
  );

const flagArb = fc.oneof(
  fc.constant(undefined),
  fc.boolean(),
  fc.constantFrom('', 'security issue'),
);

const candidatesArb = fc.uniqueArray(
  fc.record({ version: versionArb, yanked: flagArb, deprecated: flagArb }),
  { selector: (c) => c.version, maxLength: 25 },
);

const rangeArb = fc.oneof(
  versionArb.map((v) => `^${v}`),
  versionArb.map((v) => `~${v}`),
  versionArb.map((v) => `>=${v}`),
  versionArb.map((v) => `<${v}`),
  fc.tuple(versionArb, versionArb).map(([a, b]) => `>=${a} <${b}`),
  fc.tuple(versionArb, versionArb).map(([a, b]) => `${a} - ${b}`),
  fc.integer({ min: 0, max: 3 }).map((m) => `${m}.x`),
  fc
    .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }))
    .map(([m, n]) => `~${m}.${n}`),
  fc.constant('*'),
  fc.tuple(versionArb, versionArb).map(([a, b]) => `^${a} || ~${b}`),
);

function outcome(spec: string, candidates: VersionCandidate[]) {
  try {
    return { ok: true as const, result: resolveVersion(spec, candidates) };
  } catch (error) {
    assert.ok(error instanceof PlugboardError, String(error));
    return { ok: false as const, error };
  }
}

test('property: a range resolves to the highest satisfying non-yanked version, else NOT_FOUND', () => {
  fc.assert(
    fc.property(candidatesArb, rangeArb, (candidates, range) => {
      const qualifying = candidates
        .filter((c) => !isYanked(c) && semver.satisfies(c.version, range))
        .map((c) => c.version);
      const got = outcome(range, candidates);
      if (qualifying.length === 0) {
        assert.equal(got.ok, false);
        if (!got.ok) assert.equal(got.error.code, 'VERSION_NOT_FOUND');
        return;
      }
      assert.ok(got.ok, 'a qualifying candidate exists');
      const { result } = got;
      assert.ok(semver.satisfies(result.version, range));
      assert.equal(isYanked(result.candidate), false);
      for (const other of qualifying) assert.ok(semver.lte(other, result.version));
      assert.equal(
        result.warnings.some((w) => w.includes('deprecated')),
        result.candidate.deprecated === true || result.candidate.deprecated === 'security issue',
      );
    }),
    { numRuns: 1500 },
  );
});

test('property: only an exact spec ever returns a yanked version, and only that version', () => {
  fc.assert(
    fc.property(candidatesArb, versionArb, fc.boolean(), (candidates, version, useV) => {
      const got = outcome(`${useV ? 'v' : ''}${version}`, candidates);
      const present = candidates.find((c) => c.version === version);
      assert.equal(got.ok, present !== undefined);
      if (got.ok) {
        assert.equal(got.result.version, version);
        assert.equal(
          got.result.warnings.some((w) => w.includes('is yanked')),
          present !== undefined && isYanked(present),
        );
      }
    }),
    { numRuns: 1000 },
  );
});

test('property: latest and channels pick the highest qualifying non-yanked version', () => {
  const channelArb = fc.constantFrom('latest', 'alpha', 'beta', 'rc');
  fc.assert(
    fc.property(candidatesArb, channelArb, (candidates, channel) => {
      const qualifying = candidates
        .filter((c) => !isYanked(c))
        .map((c) => c.version)
        .filter((v) =>
          channel === 'latest'
            ? semver.prerelease(v) === null
            : semver.prerelease(v)?.[0] === channel,
        );
      const got = outcome(channel, candidates);
      assert.equal(got.ok, qualifying.length > 0);
      if (got.ok) {
        assert.equal(isYanked(got.result.candidate), false);
        assert.equal(got.result.version, semver.rsort([...qualifying])[0]);
      }
    }),
    { numRuns: 1000 },
  );
});
