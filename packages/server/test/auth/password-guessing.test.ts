import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isPlugboardError } from '@plugboard/core';
import { openMetadataStore, type MetadataStore } from '@plugboard/store';
import { bootstrapRegistry } from '@plugboard/server';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { FailedAuthLimiter } from '../../src/auth/failed-auth-limiter.js';

const PASSWORD = 'correct horse battery';

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

test('the limiter counts failures per address within a minute and forgets them after it', () => {
  let now = 1_000_000;
  const limiter = new FailedAuthLimiter(2, () => now);
  limiter.recordFailure('10.0.0.1');
  assert.equal(limiter.retryAfterSeconds('10.0.0.1'), undefined, 'one failure is allowed');
  now += 20_000;
  limiter.recordFailure('10.0.0.1');
  assert.equal(limiter.retryAfterSeconds('10.0.0.1'), 40, 'the rest of the first minute');
  assert.equal(limiter.retryAfterSeconds('10.0.0.2'), undefined, 'other addresses are not held');
  now += 40_000;
  assert.equal(limiter.retryAfterSeconds('10.0.0.1'), undefined, 'the minute is over');
  limiter.recordFailure('10.0.0.1');
  assert.equal(limiter.retryAfterSeconds('10.0.0.1'), undefined, 'a new minute counts afresh');
  const off = new FailedAuthLimiter(0, () => now);
  for (let i = 0; i < 100; i++) off.recordFailure('10.0.0.3');
  assert.equal(off.retryAfterSeconds('10.0.0.3'), undefined, '0 turns it off');
});

let store: MetadataStore;
let adminToken: string;
before(async () => {
  store = await openMetadataStore('sqlite::memory:');
  adminToken = (await bootstrapRegistry(store, undefined)).generatedAdminToken ?? '';
});
after(async () => store.close());

test('an address that sent too many wrong passwords waits, even with the right one; tokens and other addresses are not held', async () => {
  const authenticate = createAuthenticator({
    store,
    adminPassword: PASSWORD,
    passwordFailuresPerMinute: 3,
  });
  for (let i = 0; i < 3; i++) {
    await assert.rejects(authenticate(basic('admin', `guess-${i}`), undefined, '10.1.1.1'), {
      code: 'UNAUTHENTICATED',
    });
  }
  const held = await authenticate(basic('admin', PASSWORD), undefined, '10.1.1.1').then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.ok(isPlugboardError(held) && held.code === 'RATE_LIMITED', String(held));
  const wait = held.details?.['retry_after_seconds'];
  assert.ok(typeof wait === 'number' && wait > 0 && wait <= 60, `retry after ${String(wait)}`);
  assert.equal(
    (await authenticate(basic('admin', PASSWORD), undefined, '10.1.1.2'))?.role,
    'admin',
  );
  assert.equal((await authenticate(`Bearer ${adminToken}`, undefined, '10.1.1.1'))?.role, 'admin');
});
