import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PlugboardError } from '@plugboard/core';
import { CircuitBreaker } from '../../../src/repositories/remote/circuit-breaker.js';
import { classifyRemoteError } from '../../../src/repositories/remote/remote-failure.js';

function clockedBreaker() {
  const clock = { now: 1_000 };
  const changes: string[] = [];
  const breaker = new CircuitBreaker({
    failureThreshold: 3,
    cooldownMs: 10_000,
    now: () => clock.now,
    onStateChange: (state) => changes.push(state),
  });
  return { breaker, clock, changes };
}

const down = () => Promise.reject(new PlugboardError('UNAVAILABLE', 'down'));
const notFound = () => Promise.reject(new PlugboardError('PLUGIN_NOT_FOUND', 'no such plugin'));
const aborted = () => Promise.reject(new PlugboardError('ABORTED', 'shutting down'));

test('opens after N consecutive failures and then refuses without calling', async () => {
  const { breaker, changes } = clockedBreaker();
  for (let i = 0; i < 3; i += 1) {
    await assert.rejects(breaker.run(down, classifyRemoteError), { message: 'down' });
  }
  assert.equal(breaker.state, 'open');
  let called = false;
  await assert.rejects(
    breaker.run(async () => {
      called = true;
    }, classifyRemoteError),
    (error: PlugboardError) => error.code === 'UNAVAILABLE' && /circuit open/.test(error.message),
  );
  assert.equal(called, false);
  assert.deepEqual(changes, ['open']);
});

test('a success resets the count: failures must be consecutive', async () => {
  const { breaker } = clockedBreaker();
  await assert.rejects(breaker.run(down, classifyRemoteError));
  await assert.rejects(breaker.run(down, classifyRemoteError));
  assert.equal(await breaker.run(async () => 'ok', classifyRemoteError), 'ok');
  await assert.rejects(breaker.run(down, classifyRemoteError));
  await assert.rejects(breaker.run(down, classifyRemoteError));
  assert.equal(breaker.state, 'closed');
});

test('"not found" answers and aborted calls do not count as failures', async () => {
  const { breaker } = clockedBreaker();
  for (let i = 0; i < 5; i += 1) {
    await assert.rejects(breaker.run(notFound, classifyRemoteError));
    await assert.rejects(breaker.run(aborted, classifyRemoteError));
  }
  assert.equal(breaker.state, 'closed');
  assert.equal(breaker.consecutiveFailures, 0);
});

test('after the cool-down one probe goes through: success closes, failure reopens', async () => {
  const { breaker, clock, changes } = clockedBreaker();
  for (let i = 0; i < 3; i += 1) await assert.rejects(breaker.run(down, classifyRemoteError));
  clock.now += 10_000;
  assert.equal(breaker.state, 'half-open');
  await assert.rejects(breaker.run(down, classifyRemoteError), { message: 'down' });
  assert.equal(breaker.state, 'open', 'a failed probe opens the circuit again at once');
  clock.now += 9_999;
  assert.equal(breaker.state, 'open', 'for a whole new cool-down');
  clock.now += 1;
  let release: () => void = () => {};
  const probe = breaker.run(
    () => new Promise<string>((resolve) => (release = () => resolve('ok'))),
    classifyRemoteError,
  );
  await assert.rejects(
    breaker.run(async () => 'second', classifyRemoteError),
    { code: 'UNAVAILABLE' },
    'only one probe at a time',
  );
  release();
  assert.equal(await probe, 'ok');
  assert.equal(breaker.state, 'closed');
  assert.deepEqual(changes, ['open', 'half-open', 'open', 'half-open', 'closed']);
});

test('an aborted probe leaves the circuit ready for another probe', async () => {
  const { breaker, clock } = clockedBreaker();
  for (let i = 0; i < 3; i += 1) await assert.rejects(breaker.run(down, classifyRemoteError));
  clock.now += 10_000;
  await assert.rejects(breaker.run(aborted, classifyRemoteError));
  assert.equal(breaker.state, 'half-open');
  assert.equal(await breaker.run(async () => 'ok', classifyRemoteError), 'ok');
  assert.equal(breaker.state, 'closed');
});

test('refused credentials and 5xx answers count against the remote, other 4xx do not', () => {
  assert.equal(classifyRemoteError(new PlugboardError('UNAUTHENTICATED', 'x')), 'failure');
  assert.equal(classifyRemoteError(new PlugboardError('TIMEOUT', 'x')), 'failure');
  assert.equal(classifyRemoteError(new PlugboardError('INTERNAL', 'x')), 'failure');
  assert.equal(classifyRemoteError(new Error('boom')), 'failure');
  assert.equal(classifyRemoteError(new PlugboardError('INVALID_ARGUMENT', 'x')), 'success');
  assert.equal(classifyRemoteError(new PlugboardError('VERSION_NOT_FOUND', 'x')), 'success');
});
