import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isOutdated, outdatedStatus } from '@plugboard/core';

const available = [
  { version: '1.0.0' },
  { version: '1.1.0' },
  { version: '1.2.0', yanked: true },
  { version: '2.0.0' },
  { version: '3.0.0-beta.1' },
];

test('outdatedStatus reports wanted (by the install spec) and latest, like npm outdated', () => {
  assert.deepEqual(outdatedStatus('1.0.0', available, '^1'), {
    current: '1.0.0',
    wanted: '1.1.0',
    latest: '2.0.0',
    outdated: true,
  });
  assert.deepEqual(outdatedStatus('2.0.0', available), {
    current: '2.0.0',
    wanted: '2.0.0',
    latest: '2.0.0',
    outdated: false,
  });
});

test('a newer latest alone makes a pinned install outdated; nothing newer does not', () => {
  assert.equal(isOutdated('1.1.0', available, '~1.1'), true);
  assert.equal(isOutdated('2.0.0', available, '^2'), false);
  // A pre-release newer than every release is not "latest".
  assert.equal(isOutdated('2.0.0', available, 'latest'), false);
  assert.equal(isOutdated('3.0.0-beta.1', available, 'beta'), false);
});

test('a spec that finds nothing leaves wanted undefined instead of failing', () => {
  const status = outdatedStatus('1.0.0', available, '^9');
  assert.equal(status.wanted, undefined);
  assert.equal(status.latest, '2.0.0');
  assert.equal(status.outdated, true);
  assert.throws(() => outdatedStatus('one', available), { code: 'VERSION_INVALID' });
});
