import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isYanked, resolveVersion } from '@plugboard/core';
import { toVersionCandidate } from '@plugboard/store';
import {
  DOMAIN_A,
  codeOf,
  digestOf,
  publishInput,
  withStore,
  type HarnessFactory,
} from './store-fixtures.js';

/** Publishing versions, yank, deprecate and dist-tags. */
export function versionContract(factory: HarnessFactory): void {
  it('publishes versions, creating the plugin once, and round-trips every field', async () => {
    await withStore(factory, async (store) => {
      const first = await store.publishVersion(DOMAIN_A, publishInput('pub', '1.0.0'));
      assert.equal(first.pluginCreated, true);
      assert.equal(first.plugin.description, 'pub at 1.0.0');
      assert.deepEqual(first.version, {
        domainId: DOMAIN_A,
        pluginName: 'pub',
        version: '1.0.0',
        manifest: { name: 'pub', version: '1.0.0' },
        artifact: {
          digest: digestOf('pub@1.0.0'),
          size: 1234,
          mediaType: 'application/vnd.plugboard.plugin.v1+tar+gzip',
        },
        signatures: [{ keyId: 'key-1', signature: 'sig-1.0.0' }],
        publishedAt: first.version.publishedAt,
        yankedAt: undefined,
        yankReason: undefined,
        deprecated: undefined,
      });
      assert.deepEqual(await store.getVersion(DOMAIN_A, 'pub', '1.0.0'), first.version);

      const big = 5 * 1024 ** 3;
      const second = await store.publishVersion(
        DOMAIN_A,
        publishInput('pub', '1.1.0', {
          artifact: { digest: digestOf('big'), size: big, mediaType: 'application/gzip' },
        }),
      );
      assert.equal(second.pluginCreated, false);
      assert.equal((await store.getVersion(DOMAIN_A, 'pub', '1.1.0'))?.artifact.size, big);
      assert.equal(await store.getVersion(DOMAIN_A, 'pub', '9.9.9'), undefined);
    });
  });

  it('refuses a duplicate version with ALREADY_EXISTS and leaves everything as it was', async () => {
    await withStore(factory, async (store) => {
      const first = await store.publishVersion(DOMAIN_A, publishInput('dup', '1.0.0'));
      const duplicate = publishInput('dup', '1.0.0', {
        manifest: { changed: true },
        plugin: { name: 'dup', description: 'should not land', manifest: {} },
      });
      assert.equal(await codeOf(store.publishVersion(DOMAIN_A, duplicate)), 'ALREADY_EXISTS');
      assert.deepEqual(await store.getVersion(DOMAIN_A, 'dup', '1.0.0'), first.version);
      assert.deepEqual(await store.getPlugin(DOMAIN_A, 'dup'), first.plugin);
    });
  });

  it('refuses invalid versions, digests and sizes before storing anything', async () => {
    await withStore(factory, async (store) => {
      assert.equal(
        await codeOf(store.publishVersion(DOMAIN_A, publishInput('bad', 'v1'))),
        'VERSION_INVALID',
      );
      const badDigest = publishInput('bad', '1.0.0', {
        artifact: { digest: 'md5:abc', size: 1, mediaType: 'x' },
      });
      assert.equal(await codeOf(store.publishVersion(DOMAIN_A, badDigest)), 'INVALID_ARGUMENT');
      const badSize = publishInput('bad', '1.0.0', {
        artifact: { digest: digestOf('x'), size: -1, mediaType: 'x' },
      });
      assert.equal(await codeOf(store.publishVersion(DOMAIN_A, badSize)), 'INVALID_ARGUMENT');
      assert.equal(
        await codeOf(store.publishVersion('nowhere', publishInput('bad', '1.0.0'))),
        'NOT_FOUND',
      );
      assert.equal(await store.getPlugin(DOMAIN_A, 'bad'), undefined);
    });
  });

  it('lists versions highest first and takes metadata from the highest release', async () => {
    await withStore(factory, async (store) => {
      for (const version of ['1.2.0', '1.10.0', '1.9.0', '2.0.0-rc.1', '1.2.0-beta.1']) {
        await store.publishVersion(DOMAIN_A, publishInput('multi', version));
      }
      assert.deepEqual(
        (await store.listVersions(DOMAIN_A, 'multi')).map((record) => record.version),
        ['2.0.0-rc.1', '1.10.0', '1.9.0', '1.2.0', '1.2.0-beta.1'],
      );
      // A lower version or a prerelease published later does not take over the description.
      assert.equal((await store.getPlugin(DOMAIN_A, 'multi'))?.description, 'multi at 1.10.0');

      await store.publishVersion(DOMAIN_A, publishInput('pre', '0.1.0-alpha.1'));
      await store.publishVersion(DOMAIN_A, publishInput('pre', '0.1.0-alpha.2'));
      assert.equal((await store.getPlugin(DOMAIN_A, 'pre'))?.description, 'pre at 0.1.0-alpha.2');
    });
  });

  it('stores 100 concurrent publishes of distinct versions', async () => {
    await withStore(factory, async (store) => {
      const versions = Array.from({ length: 100 }, (_, index) => `1.0.${index}`);
      const results = await Promise.allSettled(
        versions.map((version) => store.publishVersion(DOMAIN_A, publishInput('busy', version))),
      );
      const failures = results.filter((result) => result.status === 'rejected');
      assert.deepEqual(failures, []);
      const stored = (await store.listVersions(DOMAIN_A, 'busy')).map((record) => record.version);
      assert.equal(stored.length, 100);
      assert.deepEqual(new Set(stored), new Set(versions));
      assert.equal(
        results.filter((r) => r.status === 'fulfilled' && r.value.pluginCreated).length,
        1,
      );
      assert.equal((await store.getPlugin(DOMAIN_A, 'busy'))?.description, 'busy at 1.0.99');
    });
  });

  it('lets exactly one of many concurrent publishes of the same version win', async () => {
    await withStore(factory, async (store) => {
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () =>
          store.publishVersion(DOMAIN_A, publishInput('race', '1.0.0')),
        ),
      );
      assert.equal(results.filter((result) => result.status === 'fulfilled').length, 1);
      for (const result of results) {
        if (result.status === 'rejected') {
          assert.equal((result.reason as { code?: string }).code, 'ALREADY_EXISTS');
        }
      }
      assert.equal((await store.listVersions(DOMAIN_A, 'race')).length, 1);
    });
  });

  it('yanks, unyanks and deprecates versions, in the shape resolveVersion takes', async () => {
    await withStore(factory, async (store) => {
      await store.publishVersion(DOMAIN_A, publishInput('life', '1.0.0'));
      await store.publishVersion(DOMAIN_A, publishInput('life', '1.1.0'));

      const yanked = await store.yankVersion(DOMAIN_A, 'life', '1.1.0', 'leaks credentials');
      assert.equal(yanked.yankReason, 'leaks credentials');
      assert.notEqual(yanked.yankedAt, undefined);
      assert.equal(isYanked(toVersionCandidate(yanked)), true);
      const candidates = (await store.listVersions(DOMAIN_A, 'life')).map(toVersionCandidate);
      assert.equal(resolveVersion('^1.0.0', candidates).version, '1.0.0');

      const withoutReason = await store.yankVersion(DOMAIN_A, 'life', '1.0.0');
      assert.equal(toVersionCandidate(withoutReason).yanked, true);
      const restored = await store.unyankVersion(DOMAIN_A, 'life', '1.1.0');
      assert.deepEqual([restored.yankedAt, restored.yankReason], [undefined, undefined]);

      const deprecated = await store.deprecateVersion(DOMAIN_A, 'life', '1.1.0', 'use 2.x');
      assert.equal((await store.getVersion(DOMAIN_A, 'life', '1.1.0'))?.deprecated, 'use 2.x');
      assert.equal(toVersionCandidate(deprecated).deprecated, 'use 2.x');
      const lifted = await store.deprecateVersion(DOMAIN_A, 'life', '1.1.0', '');
      assert.equal(lifted.deprecated, undefined);

      assert.equal(await codeOf(store.yankVersion(DOMAIN_A, 'life', '3.0.0')), 'VERSION_NOT_FOUND');
      assert.equal(await codeOf(store.yankVersion(DOMAIN_A, 'nope', '1.0.0')), 'PLUGIN_NOT_FOUND');
      assert.equal(
        await codeOf(store.unyankVersion(DOMAIN_A, 'life', '3.0.0')),
        'VERSION_NOT_FOUND',
      );
      assert.equal(
        await codeOf(store.deprecateVersion(DOMAIN_A, 'life', '3.0.0', 'x')),
        'VERSION_NOT_FOUND',
      );
    });
  });

  it('gets, sets, moves and deletes dist-tags', async () => {
    await withStore(factory, async (store) => {
      await store.publishVersion(DOMAIN_A, publishInput('tagged', '1.0.0'));
      await store.publishVersion(DOMAIN_A, publishInput('tagged', '2.0.0-beta.1'));
      assert.deepEqual(await store.getDistTags(DOMAIN_A, 'tagged'), {});

      await store.setDistTag(DOMAIN_A, 'tagged', 'latest', '1.0.0');
      await store.setDistTag(DOMAIN_A, 'tagged', 'beta', '2.0.0-beta.1');
      assert.deepEqual(await store.getDistTags(DOMAIN_A, 'tagged'), {
        beta: '2.0.0-beta.1',
        latest: '1.0.0',
      });
      await store.setDistTag(DOMAIN_A, 'tagged', 'latest', '2.0.0-beta.1');
      assert.equal((await store.getDistTags(DOMAIN_A, 'tagged'))['latest'], '2.0.0-beta.1');

      await store.deleteDistTag(DOMAIN_A, 'tagged', 'beta');
      assert.deepEqual(await store.getDistTags(DOMAIN_A, 'tagged'), { latest: '2.0.0-beta.1' });

      assert.equal(await codeOf(store.deleteDistTag(DOMAIN_A, 'tagged', 'beta')), 'NOT_FOUND');
      assert.equal(await codeOf(store.deleteDistTag(DOMAIN_A, 'none', 'beta')), 'PLUGIN_NOT_FOUND');
      assert.equal(
        await codeOf(store.setDistTag(DOMAIN_A, 'tagged', 'next', '3.0.0')),
        'VERSION_NOT_FOUND',
      );
      assert.equal(
        await codeOf(store.setDistTag(DOMAIN_A, 'tagged', '1.x', '1.0.0')),
        'INVALID_ARGUMENT',
      );
      assert.equal(await codeOf(store.getDistTags(DOMAIN_A, 'none')), 'PLUGIN_NOT_FOUND');
    });
  });
}
