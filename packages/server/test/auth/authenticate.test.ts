import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openMetadataStore, type MetadataStore } from '@plugboard/store';
import { DEFAULT_DOMAIN_ID, bootstrapRegistry } from '@plugboard/server';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { requireRole } from '../../src/auth/principal.js';

let store: MetadataStore;
before(async () => {
  store = await openMetadataStore('sqlite::memory:');
});
after(async () => store.close());

test('first start creates the default domain and one admin token, shown once', async () => {
  const first = await bootstrapRegistry(store, undefined);
  assert.match(first.generatedAdminToken ?? '', /^pb_/);
  const second = await bootstrapRegistry(store, undefined);
  assert.equal(second.generatedAdminToken, undefined);
  const tokens = await store.listTokens(DEFAULT_DOMAIN_ID);
  assert.equal(tokens.filter((t) => t.role === 'admin').length, 1);
  const principal = await createAuthenticator({ store, adminPassword: undefined })(
    `Bearer ${first.generatedAdminToken}`,
  );
  assert.deepEqual(
    { domainId: principal?.domainId, role: principal?.role },
    { domainId: DEFAULT_DOMAIN_ID, role: 'admin' },
  );
});

test('PLUGBOARD_ADMIN_TOKEN is stored hashed and authenticates', async () => {
  const secret = 'pb_given-by-the-operator-0123456789';
  await bootstrapRegistry(store, secret);
  const authenticate = createAuthenticator({ store, adminPassword: undefined });
  assert.equal((await authenticate(`Bearer ${secret}`))?.role, 'admin');
  const stored = await store.listTokens(DEFAULT_DOMAIN_ID);
  assert.ok(stored.every((token) => !JSON.stringify(token).includes(secret)));
});

test('HTTP Basic admin:<password> and Basic with a token both work; wrong credentials are 401', async () => {
  const authenticate = createAuthenticator({ store, adminPassword: 'correct horse battery' });
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  assert.equal(
    (await authenticate(basic('admin', 'correct horse battery')))?.tokenId,
    'admin-password',
  );
  const reader = await store.createToken({
    domainId: DEFAULT_DOMAIN_ID,
    name: 'ci',
    role: 'reader',
  });
  assert.equal((await authenticate(basic('ci', reader.secret)))?.role, 'reader');
  await assert.rejects(authenticate(basic('admin', 'wrong')), { code: 'UNAUTHENTICATED' });
  await assert.rejects(authenticate('Bearer pb_nope'), { code: 'UNAUTHENTICATED' });
  await assert.rejects(authenticate('Digest abc'), { code: 'UNAUTHENTICATED' });
  assert.equal(await authenticate(undefined), undefined);
});

test('X-API-Key carries a token (auth.type api_key); Authorization wins when both come; a wrong key is 401', async () => {
  const authenticate = createAuthenticator({ store, adminPassword: undefined });
  const reader = await store.createToken({
    domainId: DEFAULT_DOMAIN_ID,
    name: 'api-key-client',
    role: 'reader',
  });
  const admin = await store.createToken({
    domainId: DEFAULT_DOMAIN_ID,
    name: 'ops',
    role: 'admin',
  });
  assert.equal((await authenticate(undefined, reader.secret))?.role, 'reader');
  assert.equal((await authenticate('', reader.secret))?.tokenId, reader.token.id);
  assert.equal((await authenticate(`Bearer ${admin.secret}`, reader.secret))?.role, 'admin');
  await assert.rejects(authenticate(undefined, 'pb_not-a-key'), { code: 'UNAUTHENTICATED' });
  assert.equal(await authenticate(undefined, ''), undefined);
});

test('roles: a reader cannot publish; anonymous needs credentials', () => {
  assert.throws(() => requireRole({ domainId: 'd', role: 'reader', tokenId: 't' }, 'publisher'), {
    code: 'FORBIDDEN',
  });
  assert.throws(() => requireRole(undefined, 'reader'), { code: 'UNAUTHENTICATED' });
  assert.equal(
    requireRole({ domainId: 'd', role: 'admin', tokenId: 't' }, 'publisher').role,
    'admin',
  );
});
