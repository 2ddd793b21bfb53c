import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DOMAIN_ID_PATTERN, TOKEN_PREFIX_LENGTH, hashTokenSecret } from '@plugboard/store';
import { DOMAIN_A, DOMAIN_B, codeOf, withStore, type HarnessFactory } from './store-fixtures.js';

/** Domains and API tokens. */
export function domainAndTokenContract(factory: HarnessFactory): void {
  it('creates, gets and lists domains; a taken id is ALREADY_EXISTS', async () => {
    await withStore(factory, async (store) => {
      const generated = await store.createDomain({ name: 'Gamma' });
      assert.match(generated.id, new RegExp(DOMAIN_ID_PATTERN));
      assert.deepEqual(await store.getDomain(DOMAIN_A), {
        id: DOMAIN_A,
        name: 'Alpha Corp',
        createdAt: '2030-01-01T00:00:00.000Z',
      });
      assert.equal(await store.getDomain('nobody'), undefined);
      assert.deepEqual(
        (await store.listDomains()).map((domain) => domain.id),
        [DOMAIN_A, DOMAIN_B, generated.id].sort(),
      );
      assert.equal(
        await codeOf(store.createDomain({ id: DOMAIN_A, name: 'again' })),
        'ALREADY_EXISTS',
      );
      assert.equal(
        await codeOf(store.createDomain({ id: 'Bad Id', name: 'x' })),
        'INVALID_ARGUMENT',
      );
    });
  });

  it('stores only a hash and prefix of a token and finds it by the hash', async () => {
    await withStore(factory, async (store) => {
      const { token, secret } = await store.createToken({
        domainId: DOMAIN_A,
        name: 'ci',
        role: 'publisher',
      });
      assert.match(secret, /^pb_[A-Za-z0-9_-]{32}$/);
      assert.equal(token.prefix, secret.slice(0, TOKEN_PREFIX_LENGTH));
      assert.equal(
        JSON.stringify(token).includes(secret),
        false,
        'the record never holds the secret',
      );

      assert.deepEqual(await store.findTokenByHash(hashTokenSecret(secret)), token);
      assert.equal(await store.findTokenByHash(hashTokenSecret(`${secret}x`)), undefined);
      assert.equal(await store.findTokenByHash('not a hash'), undefined);

      const chosen = await store.createToken({
        domainId: DOMAIN_B,
        name: 'admin',
        role: 'admin',
        secret: 'a-secret-from-the-environment',
      });
      assert.equal(chosen.secret, 'a-secret-from-the-environment');
      const found = await store.findTokenByHash(hashTokenSecret('a-secret-from-the-environment'));
      assert.equal(found?.domainId, DOMAIN_B);
      assert.equal(found?.role, 'admin');
      assert.equal(
        await codeOf(
          store.createToken({
            domainId: DOMAIN_A,
            name: 'dup',
            role: 'reader',
            secret: 'a-secret-from-the-environment',
          }),
        ),
        'ALREADY_EXISTS',
      );
    });
  });

  it('lists tokens per domain, revokes them, and ignores revoked and expired ones', async () => {
    await withStore(factory, async (store) => {
      const first = await store.createToken({ domainId: DOMAIN_A, name: 'one', role: 'reader' });
      const second = await store.createToken({ domainId: DOMAIN_A, name: 'two', role: 'admin' });
      await store.createToken({ domainId: DOMAIN_B, name: 'other', role: 'reader' });
      assert.deepEqual(
        (await store.listTokens(DOMAIN_A)).map((token) => token.name),
        ['one', 'two'],
      );

      assert.equal(await codeOf(store.revokeToken(DOMAIN_B, first.token.id)), 'NOT_FOUND');
      const revoked = await store.revokeToken(DOMAIN_A, first.token.id);
      assert.notEqual(revoked.revokedAt, undefined);
      assert.equal(await store.findTokenByHash(hashTokenSecret(first.secret)), undefined);
      assert.notEqual(await store.findTokenByHash(hashTokenSecret(second.secret)), undefined);
      assert.equal(
        (await store.revokeToken(DOMAIN_A, first.token.id)).revokedAt,
        revoked.revokedAt,
      );
      assert.equal(await codeOf(store.revokeToken(DOMAIN_A, 'tok-missing')), 'NOT_FOUND');

      // The store clock starts in 2030, so a token that expired in 2029 is no longer valid.
      const expired = await store.createToken({
        domainId: DOMAIN_A,
        name: 'old',
        role: 'reader',
        expiresAt: '2029-12-31T00:00:00Z',
      });
      assert.equal(expired.token.expiresAt, '2029-12-31T00:00:00.000Z');
      assert.equal(await store.findTokenByHash(hashTokenSecret(expired.secret)), undefined);
      const later = await store.createToken({
        domainId: DOMAIN_A,
        name: 'later',
        role: 'reader',
        expiresAt: '2031-01-01T00:00:00Z',
      });
      assert.notEqual(await store.findTokenByHash(hashTokenSecret(later.secret)), undefined);
    });
  });

  it('refuses tokens for unknown domains and unknown roles', async () => {
    await withStore(factory, async (store) => {
      assert.equal(
        await codeOf(store.createToken({ domainId: 'nowhere', name: 'x', role: 'reader' })),
        'NOT_FOUND',
      );
      assert.equal(
        await codeOf(
          store.createToken({ domainId: DOMAIN_A, name: 'x', role: 'owner' as 'reader' }),
        ),
        'INVALID_ARGUMENT',
      );
      assert.deepEqual(await store.listTokens('nowhere'), []);
    });
  });
}
