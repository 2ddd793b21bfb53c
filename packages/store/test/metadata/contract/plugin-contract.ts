import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  DOMAIN_A,
  DOMAIN_B,
  codeOf,
  pluginInput,
  publishInput,
  withStore,
  type HarnessFactory,
} from './store-fixtures.js';

/** Plugin metadata records and tenant isolation. */
export function pluginContract(factory: HarnessFactory): void {
  it('round-trips every field of a plugin record', async () => {
    await withStore(factory, async (store) => {
      const manifest = {
        name: 'aws-ec2',
        capabilities: [{ type: 'provider' }, { type: 'actual_cost' }, { type: 'provider' }],
        nested: { list: [1, 'two', null, { deep: true }], unicode: 'grüße ✓' },
      };
      const created = await store.createPlugin(DOMAIN_A, {
        name: 'aws-ec2',
        displayName: 'AWS EC2',
        description: 'Collects EC2 instances',
        type: 'inventory.Collector',
        providers: ['aws'],
        labels: ['compute', 'server'],
        tags: { tier: 'gold', 'x-key': 'v' },
        icon: 'https://example.com/ec2.svg',
        manifest,
        image: {
          image: 'cloudforet/plugin-aws-ec2',
          registryType: 'DOCKER_HUB',
          registryConfig: { url: 'registry.hub.docker.com' },
        },
      });
      const expected = {
        domainId: DOMAIN_A,
        name: 'aws-ec2',
        displayName: 'AWS EC2',
        description: 'Collects EC2 instances',
        type: 'inventory.Collector',
        providers: ['aws'],
        labels: ['compute', 'server'],
        capabilities: ['provider', 'actual_cost'],
        tags: { tier: 'gold', 'x-key': 'v' },
        icon: 'https://example.com/ec2.svg',
        manifest,
        enabled: true,
        image: {
          image: 'cloudforet/plugin-aws-ec2',
          registryType: 'DOCKER_HUB',
          registryConfig: { url: 'registry.hub.docker.com' },
        },
        createdAt: created.createdAt,
        updatedAt: created.createdAt,
      };
      assert.deepEqual(created, expected);
      assert.deepEqual(await store.getPlugin(DOMAIN_A, 'aws-ec2'), expected);

      const minimal = await store.createPlugin(DOMAIN_A, {
        name: 'bare',
        manifest: { name: 'bare' },
      });
      assert.deepEqual(
        [minimal.displayName, minimal.type, minimal.icon, minimal.image],
        [undefined, undefined, undefined, undefined],
      );
      assert.deepEqual([minimal.providers, minimal.labels, minimal.capabilities], [[], [], []]);
    });
  });

  it('refuses a second plugin of the same name and bad input, and needs the domain', async () => {
    await withStore(factory, async (store) => {
      await store.createPlugin(DOMAIN_A, pluginInput('dup'));
      assert.equal(
        await codeOf(store.createPlugin(DOMAIN_A, pluginInput('dup'))),
        'ALREADY_EXISTS',
      );
      assert.equal(
        await codeOf(store.createPlugin(DOMAIN_A, pluginInput('Bad Name'))),
        'INVALID_ARGUMENT',
      );
      assert.equal(
        await codeOf(store.createPlugin(DOMAIN_A, pluginInput('x', { labels: [''] }))),
        'INVALID_ARGUMENT',
      );
      assert.equal(await codeOf(store.createPlugin('nowhere', pluginInput('x'))), 'NOT_FOUND');
      // The same name in another domain is another plugin.
      await store.createPlugin(DOMAIN_B, pluginInput('dup'));
    });
  });

  it('upserts: replaces metadata, keeps createdAt, keeps enabled unless given', async () => {
    await withStore(factory, async (store) => {
      const first = await store.upsertPlugin(DOMAIN_A, pluginInput('up', { labels: ['old'] }));
      await store.setPluginEnabled(DOMAIN_A, 'up', false);
      const second = await store.upsertPlugin(
        DOMAIN_A,
        pluginInput('up', { labels: ['new'], description: 'changed' }),
      );
      assert.equal(second.createdAt, first.createdAt);
      assert.ok(second.updatedAt > first.updatedAt);
      assert.equal(second.enabled, false);
      assert.deepEqual(second.labels, ['new']);
      assert.equal(second.description, 'changed');
      assert.equal((await store.listPlugins(DOMAIN_A, { label: 'old' })).total, 0);
      assert.equal((await store.listPlugins(DOMAIN_A, { label: 'new' })).total, 1);
      const third = await store.upsertPlugin(DOMAIN_A, pluginInput('up', { enabled: true }));
      assert.equal(third.enabled, true);
    });
  });

  it('patches some fields, clears with null, and re-derives capabilities from a new manifest', async () => {
    await withStore(factory, async (store) => {
      await store.createPlugin(DOMAIN_A, pluginInput('patched'));
      const patched = await store.updatePlugin(DOMAIN_A, 'patched', {
        displayName: null,
        providers: ['gcp', 'azure'],
        manifest: { name: 'patched', capabilities: [{ type: 'actual_cost' }] },
      });
      assert.equal(patched.displayName, undefined);
      assert.equal(patched.description, 'The patched plugin');
      assert.deepEqual(patched.providers, ['gcp', 'azure']);
      assert.deepEqual(patched.capabilities, ['actual_cost']);
      assert.equal((await store.listPlugins(DOMAIN_A, { provider: 'aws' })).total, 0);
      assert.equal((await store.listPlugins(DOMAIN_A, { provider: 'azure' })).total, 1);
      assert.equal((await store.listPlugins(DOMAIN_A, { capability: 'provider' })).total, 0);
      assert.equal(
        await codeOf(store.updatePlugin(DOMAIN_A, 'missing', { description: 'x' })),
        'PLUGIN_NOT_FOUND',
      );
    });
  });

  it('enables, disables and deletes a plugin with its versions and dist-tags', async () => {
    await withStore(factory, async (store) => {
      await store.publishVersion(DOMAIN_A, publishInput('gone', '1.0.0'));
      await store.setDistTag(DOMAIN_A, 'gone', 'stable', '1.0.0');
      assert.equal((await store.setPluginEnabled(DOMAIN_A, 'gone', false)).enabled, false);
      assert.equal((await store.getPlugin(DOMAIN_A, 'gone'))?.enabled, false);
      assert.equal((await store.setPluginEnabled(DOMAIN_A, 'gone', true)).enabled, true);

      await store.deletePlugin(DOMAIN_A, 'gone');
      assert.equal(await store.getPlugin(DOMAIN_A, 'gone'), undefined);
      assert.equal(await store.getVersion(DOMAIN_A, 'gone', '1.0.0'), undefined);
      assert.equal(await codeOf(store.listVersions(DOMAIN_A, 'gone')), 'PLUGIN_NOT_FOUND');
      assert.equal(await codeOf(store.deletePlugin(DOMAIN_A, 'gone')), 'PLUGIN_NOT_FOUND');
      assert.equal(
        await codeOf(store.setPluginEnabled(DOMAIN_A, 'gone', true)),
        'PLUGIN_NOT_FOUND',
      );

      // Publishing again starts from nothing: no old version or tag comes back.
      const again = await store.publishVersion(DOMAIN_A, publishInput('gone', '2.0.0'));
      assert.equal(again.pluginCreated, true);
      assert.deepEqual(await store.getDistTags(DOMAIN_A, 'gone'), {});
      assert.deepEqual(
        (await store.listVersions(DOMAIN_A, 'gone')).map((v) => v.version),
        ['2.0.0'],
      );
    });
  });

  it("keeps tenants apart: domain B neither sees nor changes domain A's plugins", async () => {
    await withStore(factory, async (store) => {
      await store.publishVersion(DOMAIN_A, publishInput('secret-plugin', '1.0.0'));
      await store.createPlugin(DOMAIN_A, pluginInput('only-a'));

      assert.equal(await store.getPlugin(DOMAIN_B, 'secret-plugin'), undefined);
      assert.deepEqual(await store.listPlugins(DOMAIN_B), { plugins: [], total: 0 });
      assert.equal((await store.listPlugins(DOMAIN_B, { q: 'secret' })).total, 0);
      assert.equal(await store.getVersion(DOMAIN_B, 'secret-plugin', '1.0.0'), undefined);
      assert.equal(await codeOf(store.listVersions(DOMAIN_B, 'secret-plugin')), 'PLUGIN_NOT_FOUND');
      assert.equal(await codeOf(store.deletePlugin(DOMAIN_B, 'only-a')), 'PLUGIN_NOT_FOUND');
      assert.equal(
        await codeOf(store.updatePlugin(DOMAIN_B, 'only-a', { description: 'hacked' })),
        'PLUGIN_NOT_FOUND',
      );
      assert.equal(
        await codeOf(store.yankVersion(DOMAIN_B, 'secret-plugin', '1.0.0', 'x')),
        'PLUGIN_NOT_FOUND',
      );
      assert.equal(
        await codeOf(store.setDistTag(DOMAIN_B, 'secret-plugin', 'latest', '1.0.0')),
        'PLUGIN_NOT_FOUND',
      );

      // B publishing the same name and version creates B's own plugin; A's is untouched.
      const b = await store.publishVersion(DOMAIN_B, publishInput('secret-plugin', '1.0.0'));
      assert.equal(b.pluginCreated, true);
      await store.yankVersion(DOMAIN_B, 'secret-plugin', '1.0.0', 'bad');
      assert.equal(
        (await store.getVersion(DOMAIN_A, 'secret-plugin', '1.0.0'))?.yankedAt,
        undefined,
      );
      assert.equal((await store.getPlugin(DOMAIN_A, 'only-a'))?.description, 'The only-a plugin');
      assert.equal((await store.listPlugins(DOMAIN_A)).total, 2);
      assert.equal((await store.listPlugins(DOMAIN_B)).total, 1);
    });
  });
}
