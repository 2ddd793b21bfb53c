import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openMetadataStore, type MetadataStore } from '@plugboard/store';
import {
  skipUnlessAvailable,
  findTestPostgresUrl,
  POSTGRES_HOW_TO_ENABLE,
  privateSchema,
} from '@plugboard/test-support';
import { DEFAULT_DOMAIN_ID, bootstrapRegistry } from '@plugboard/server';
import { createAuthenticator } from '../../src/auth/authenticate.js';

/** The store with `findTokenByHash` calls counted (constructor injection, no module mock). */
function countingLookups(store: MetadataStore): { store: MetadataStore; lookups: () => number } {
  let lookups = 0;
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'findTokenByHash') {
        return (hash: string) => {
          lookups += 1;
          return target.findTokenByHash(hash);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value.bind(target) as unknown) : value;
    },
  });
  return { store: counted, lookups: () => lookups };
}

let store: MetadataStore;
before(async () => {
  store = await openMetadataStore('sqlite::memory:');
  await bootstrapRegistry(store, undefined);
});
after(async () => store.close());

test('a token is looked up once, then served from the cache until it is revoked', async () => {
  const counted = countingLookups(store);
  const authenticate = createAuthenticator({ store: counted.store, adminPassword: undefined });
  const created = await store.createToken({
    domainId: DEFAULT_DOMAIN_ID,
    name: 'cached',
    role: 'publisher',
  });
  for (let i = 0; i < 5; i += 1) {
    assert.equal((await authenticate(`Bearer ${created.secret}`))?.role, 'publisher');
  }
  assert.equal(counted.lookups(), 1);
  await store.revokeToken(DEFAULT_DOMAIN_ID, created.token.id);
  await assert.rejects(authenticate(`Bearer ${created.secret}`), { code: 'UNAUTHENTICATED' });
  assert.equal(counted.lookups(), 2);
});

test('an unknown secret is not cached: a token created later with it authenticates', async () => {
  const authenticate = createAuthenticator({ store, adminPassword: undefined });
  const secret = 'pb_created-after-a-failed-attempt-0123456789';
  await assert.rejects(authenticate(`Bearer ${secret}`), { code: 'UNAUTHENTICATED' });
  await store.createToken({ domainId: DEFAULT_DOMAIN_ID, name: 'late', role: 'reader', secret });
  assert.equal((await authenticate(`Bearer ${secret}`))?.role, 'reader');
});

test('a cached token stops authenticating once it expires', async () => {
  const authenticate = createAuthenticator({ store, adminPassword: undefined });
  const expiresAt = new Date(Date.now() + 1_500).toISOString();
  const created = await store.createToken({
    domainId: DEFAULT_DOMAIN_ID,
    name: 'short-lived',
    role: 'reader',
    expiresAt,
  });
  assert.equal((await authenticate(`Bearer ${created.secret}`))?.role, 'reader');
  await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 50));
  await assert.rejects(authenticate(`Bearer ${created.secret}`), { code: 'UNAUTHENTICATED' });
});

const postgresUrl = await findTestPostgresUrl();
const skip = skipUnlessAvailable('PostgreSQL', postgresUrl !== undefined, POSTGRES_HOW_TO_ENABLE);

test(
  'a token revoked on another replica is refused here (PostgreSQL change feed)',
  { skip },
  async () => {
    const schema = privateSchema(postgresUrl ?? '');
    const stores: MetadataStore[] = [];
    try {
      const here = await openMetadataStore(schema.url);
      stores.push(here);
      const there = await openMetadataStore(schema.url);
      stores.push(there);
      await bootstrapRegistry(here, undefined);
      const authenticate = createAuthenticator({ store: here, adminPassword: undefined });
      const created = await there.createToken({
        domainId: DEFAULT_DOMAIN_ID,
        name: 'replicated',
        role: 'reader',
      });
      assert.equal((await authenticate(`Bearer ${created.secret}`))?.role, 'reader');
      await there.revokeToken(DEFAULT_DOMAIN_ID, created.token.id);
      const deadline = Date.now() + 10_000;
      let refused = false;
      while (!refused && Date.now() < deadline) {
        refused = await authenticate(`Bearer ${created.secret}`).then(
          () => false,
          () => true,
        );
        if (!refused) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(refused, 'the revoked token still authenticated 10 s after the revocation');
    } finally {
      for (const store of stores.reverse()) await store.close();
      await schema.drop();
    }
  },
);
