import assert from 'node:assert/strict';
import { it } from 'node:test';
import { toPublicRepository } from '@plugboard/store';
import { DOMAIN_A, DOMAIN_B, codeOf, withStore, type HarnessFactory } from './store-fixtures.js';

const TOKEN = 'remote-token-that-must-never-show';

/** REMOTE repository configs: tokens stored, never in public shapes. */
export function repositoryContract(factory: HarnessFactory): void {
  it('creates, lists by priority, gets and deletes REMOTE repositories per domain', async () => {
    await withStore(factory, async (store) => {
      const community = await store.createRepository(DOMAIN_A, {
        name: 'community',
        endpoint: 'https://registry.example.com/api/v1',
        priority: 2,
      });
      const enterprise = await store.createRepository(DOMAIN_A, {
        name: 'enterprise',
        endpoint: 'http://enterprise.internal:7400/api/v1',
        token: TOKEN,
        priority: 1,
        timeoutMs: 60_000,
      });
      assert.equal(enterprise.hasToken, true);
      assert.equal(community.hasToken, false);
      assert.equal(community.timeoutMs, 10_000);

      const listed = await store.listRepositories(DOMAIN_A);
      assert.deepEqual(
        listed.map((repository) => repository.name),
        ['enterprise', 'community'],
      );
      assert.deepEqual(await store.getRepository(DOMAIN_A, enterprise.id), enterprise);
      assert.deepEqual(await store.listRepositories(DOMAIN_B), []);
      assert.equal(await store.getRepository(DOMAIN_B, enterprise.id), undefined);

      const connections = await store.listRepositoryConnections(DOMAIN_A);
      assert.equal(connections[0]?.token, TOKEN);
      assert.equal(connections[1]?.token, undefined);
      assert.equal((await store.getRepositoryConnection(DOMAIN_A, enterprise.id))?.token, TOKEN);

      assert.equal(await codeOf(store.deleteRepository(DOMAIN_B, enterprise.id)), 'NOT_FOUND');
      await store.deleteRepository(DOMAIN_A, enterprise.id);
      assert.equal(await store.getRepository(DOMAIN_A, enterprise.id), undefined);
      assert.equal(await codeOf(store.deleteRepository(DOMAIN_A, enterprise.id)), 'NOT_FOUND');
    });
  });

  it('never puts the token in a public shape', async () => {
    await withStore(factory, async (store) => {
      const created = await store.createRepository(DOMAIN_A, {
        name: 'secret',
        endpoint: 'https://r.example.com',
        token: TOKEN,
      });
      const connection = await store.getRepositoryConnection(DOMAIN_A, created.id);
      assert.ok(connection !== undefined);
      const shapes = [
        created,
        await store.getRepository(DOMAIN_A, created.id),
        ...(await store.listRepositories(DOMAIN_A)),
        toPublicRepository(connection),
      ];
      for (const shape of shapes) {
        assert.equal(JSON.stringify(shape).includes(TOKEN), false);
        assert.equal(Object.hasOwn(shape ?? {}, 'token'), false);
      }
    });
  });

  it('refuses duplicate names, bad endpoints and credentials in URLs', async () => {
    await withStore(factory, async (store) => {
      await store.createRepository(DOMAIN_A, { name: 'one', endpoint: 'https://a.example.com' });
      assert.equal(
        await codeOf(
          store.createRepository(DOMAIN_A, { name: 'one', endpoint: 'https://b.example.com' }),
        ),
        'ALREADY_EXISTS',
      );
      await store.createRepository(DOMAIN_B, { name: 'one', endpoint: 'https://a.example.com' });
      for (const endpoint of [
        'ftp://a.example.com',
        'not a url',
        'https://user:pw@a.example.com',
      ]) {
        assert.equal(
          await codeOf(store.createRepository(DOMAIN_A, { name: 'x', endpoint })),
          'INVALID_ARGUMENT',
          endpoint,
        );
      }
      assert.equal(
        await codeOf(
          store.createRepository(DOMAIN_A, {
            name: 'x',
            endpoint: 'https://a.example.com',
            timeoutMs: 0,
          }),
        ),
        'INVALID_ARGUMENT',
      );
      assert.equal(
        await codeOf(
          store.createRepository('nowhere', { name: 'x', endpoint: 'https://a.example.com' }),
        ),
        'NOT_FOUND',
      );
    });
  });
}
