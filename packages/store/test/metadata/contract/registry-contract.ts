import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  DOMAIN_A,
  DOMAIN_B,
  digestOf,
  publishInput,
  withStore,
  type HarnessFactory,
} from './store-fixtures.js';

/** The registry's own id, sealed REMOTE tokens, and which artifact digests are still used. */
export function registryContract(factory: HarnessFactory): void {
  it('generates the registry id once and returns the same one afterwards', async () => {
    await withStore(factory, async (store) => {
      const [first, second] = await Promise.all([store.registryId(), store.registryId()]);
      assert.match(first, /^reg-[0-9a-f-]{36}$/);
      assert.equal(second, first);
      assert.equal(await store.registryId(), first);
    });
  });

  it('keeps a sealed token as given and seals clear tokens of older servers once', async () => {
    await withStore(factory, async (store) => {
      const sealed = await store.createRepository(DOMAIN_A, {
        name: 'sealed',
        endpoint: 'https://sealed.example.com',
        sealedToken: 'v1:opaque',
      });
      const legacy = await store.createRepository(DOMAIN_B, {
        name: 'legacy',
        endpoint: 'https://legacy.example.com',
        token: 'clear-token-of-an-older-server',
      });
      assert.equal(sealed.hasToken, true);
      const connection = await store.getRepositoryConnection(DOMAIN_A, sealed.id);
      assert.equal(connection?.sealedToken, 'v1:opaque');
      assert.equal(connection?.token, undefined);

      const seen: string[] = [];
      const count = await store.sealRepositoryTokens((clear) => {
        seen.push(`${clear.domainId}/${clear.name}/${clear.id}`);
        return `sealed(${clear.token})`;
      });
      assert.equal(count, 1);
      assert.deepEqual(seen, [`${DOMAIN_B}/legacy/${legacy.id}`]);
      const migrated = await store.getRepositoryConnection(DOMAIN_B, legacy.id);
      assert.equal(migrated?.token, undefined);
      assert.equal(migrated?.sealedToken, 'sealed(clear-token-of-an-older-server)');
      assert.equal(migrated?.hasToken, true);
      assert.equal(
        await store.sealRepositoryTokens(() => assert.fail('nothing is left in clear')),
        0,
      );
    });
  });

  it('tells which digests a version of any domain still references', async () => {
    await withStore(factory, async (store) => {
      await store.publishVersion(DOMAIN_A, publishInput('shared', '1.0.0'));
      const shared = digestOf('shared@1.0.0');
      await store.publishVersion(
        DOMAIN_B,
        publishInput('copy', '2.0.0', {
          artifact: { digest: shared, size: 1234, mediaType: 'application/gzip' },
        }),
      );
      const unused = digestOf('nobody');
      assert.deepEqual([...(await store.referencedDigests([shared, unused]))], [shared]);
      await store.deletePlugin(DOMAIN_A, 'shared');
      assert.deepEqual([...(await store.referencedDigests([shared]))], [shared]);
      await store.deletePlugin(DOMAIN_B, 'copy');
      assert.equal((await store.referencedDigests([shared, unused])).size, 0);
      assert.equal((await store.referencedDigests([])).size, 0);
    });
  });
}
