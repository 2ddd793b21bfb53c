import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { MetadataStore, PluginQuery } from '@plugboard/store';
import {
  DOMAIN_A,
  DOMAIN_B,
  codeOf,
  pluginInput,
  withStore,
  type HarnessFactory,
} from './store-fixtures.js';

/** Twelve plugins whose names also test byte-wise ordering (`-` < `.` < `0` < `_` < `b`). */
async function seedCatalog(store: MetadataStore): Promise<string[]> {
  const collector = 'inventory.Collector';
  const seeds = [
    pluginInput('aws-ec2', {
      description: 'Collects EC2 instances',
      providers: ['aws'],
      labels: ['compute', 'Server'],
    }),
    pluginInput('aws-s3', { providers: ['aws'], labels: ['storage'], enabled: false }),
    pluginInput('azure-vm', { providers: ['azure'], labels: ['compute'] }),
    pluginInput('gcp-cost', {
      type: 'cost.Source',
      providers: ['gcp'],
      labels: ['billing'],
      manifest: { name: 'gcp-cost', capabilities: [{ type: 'actual_cost' }] },
    }),
    pluginInput('k8s', {
      displayName: 'Kubernetes',
      providers: ['aws', 'gcp', 'azure'],
      labels: ['containers'],
      type: collector,
    }),
    pluginInput('percent', {
      description: 'Reports 100% of usage_total',
      providers: [],
      labels: [],
    }),
    misc('a-b'),
    misc('a.b'),
    misc('a_b'),
    misc('ab', 'counts usageXtotal'),
    misc('a0', 'Has 1000 users'),
    misc('zeta'),
  ];
  for (const seed of seeds) await store.createPlugin(DOMAIN_A, seed);
  // Noise in the other tenant, which no query of domain A may return.
  await store.createPlugin(DOMAIN_B, pluginInput('aws-ec2-b', { providers: ['aws'] }));
  return seeds.map((seed) => seed.name);
}

function misc(name: string, description = `misc ${name}`) {
  return {
    name,
    description,
    type: 'misc',
    manifest: { name },
  };
}

async function names(store: MetadataStore, query: PluginQuery): Promise<string[]> {
  const page = await store.listPlugins(DOMAIN_A, { limit: 100, ...query });
  return page.plugins.map((plugin) => plugin.name);
}

/** `listPlugins`: filters, sorting, paging and totals. */
export function pluginListContract(factory: HarnessFactory): void {
  it('filters by q over name, display name, description and labels, case-insensitively', async () => {
    await withStore(factory, async (store) => {
      await seedCatalog(store);
      assert.deepEqual(await names(store, { q: 'EC2' }), ['aws-ec2']);
      assert.deepEqual(await names(store, { q: 'sErVeR' }), ['aws-ec2'], 'label match');
      assert.deepEqual(await names(store, { q: 'kubern' }), ['k8s'], 'display name match');
      assert.deepEqual(await names(store, { q: 'aws' }), ['aws-ec2', 'aws-s3']);
      // % and _ are literal characters in q, not wildcards.
      assert.deepEqual(await names(store, { q: '100%' }), ['percent']);
      assert.deepEqual(await names(store, { q: 'usage_total' }), ['percent']);
      assert.deepEqual(await names(store, { q: 'no such thing' }), []);
    });
  });

  it('filters by provider, type, capability, label and state, combined with AND', async () => {
    await withStore(factory, async (store) => {
      await seedCatalog(store);
      assert.deepEqual(await names(store, { provider: 'aws' }), ['aws-ec2', 'aws-s3', 'k8s']);
      assert.deepEqual(await names(store, { provider: 'aws', state: 'enabled' }), [
        'aws-ec2',
        'k8s',
      ]);
      assert.deepEqual(await names(store, { state: 'disabled' }), ['aws-s3']);
      assert.deepEqual(await names(store, { type: 'cost.Source' }), ['gcp-cost']);
      assert.deepEqual(await names(store, { capability: 'actual_cost' }), ['gcp-cost']);
      assert.deepEqual(await names(store, { capability: 'provider' }), [
        'aws-ec2',
        'aws-s3',
        'azure-vm',
        'k8s',
        'percent',
      ]);
      assert.deepEqual(await names(store, { label: 'compute' }), ['aws-ec2', 'azure-vm']);
      assert.deepEqual(await names(store, { label: 'Server' }), ['aws-ec2']);
      assert.deepEqual(await names(store, { label: 'server' }), [], 'label filter is exact');
      assert.deepEqual(await names(store, { q: 'aws', label: 'storage' }), ['aws-s3']);
      assert.deepEqual(await names(store, { provider: 'gcp', type: 'inventory.Collector' }), [
        'k8s',
      ]);
      assert.equal((await store.listPlugins(DOMAIN_A, { provider: 'aws' })).total, 3);
    });
  });

  it('sorts by name byte-wise, by created_at and by updated_at, both directions', async () => {
    await withStore(factory, async (store) => {
      const created = await seedCatalog(store);
      const byName = [...created].sort();
      assert.deepEqual(byName.slice(0, 5), ['a-b', 'a.b', 'a0', 'a_b', 'ab']);
      assert.deepEqual(await names(store, {}), byName);
      assert.deepEqual(await names(store, { sort: 'name', order: 'desc' }), [...byName].reverse());
      assert.deepEqual(await names(store, { sort: 'created_at' }), created);
      assert.deepEqual(
        await names(store, { sort: 'created_at', order: 'desc' }),
        [...created].reverse(),
      );

      await store.updatePlugin(DOMAIN_A, 'a0', { description: 'touched' });
      const byUpdate = await names(store, { sort: 'updated_at', order: 'desc' });
      assert.equal(byUpdate[0], 'a0');
      assert.deepEqual(byUpdate.slice(1), [...created].filter((name) => name !== 'a0').reverse());
    });
  });

  it('pages through results with a correct total on every page', async () => {
    await withStore(factory, async (store) => {
      const created = await seedCatalog(store);
      const all = [...created].sort();
      const seen: string[] = [];
      for (let page = 1; page <= 3; page += 1) {
        const result = await store.listPlugins(DOMAIN_A, { page, limit: 5 });
        assert.equal(result.total, 12, `total on page ${page}`);
        seen.push(...result.plugins.map((plugin) => plugin.name));
      }
      assert.deepEqual(seen, all);
      assert.deepEqual(await store.listPlugins(DOMAIN_A, { page: 4, limit: 5 }), {
        plugins: [],
        total: 12,
      });
      const filtered = await store.listPlugins(DOMAIN_A, { provider: 'aws', page: 2, limit: 2 });
      assert.deepEqual(
        { names: filtered.plugins.map((plugin) => plugin.name), total: filtered.total },
        { names: ['k8s'], total: 3 },
      );
      const byOffset = await store.listPlugins(DOMAIN_A, { offset: 5, limit: 3 });
      assert.deepEqual(
        byOffset.plugins.map((plugin) => plugin.name),
        all.slice(5, 8),
      );
      assert.equal(
        (await store.listPlugins(DOMAIN_A)).plugins.length,
        12,
        'default limit is larger',
      );
    });
  });

  it('refuses bad paging and sorting arguments with INVALID_ARGUMENT', async () => {
    await withStore(factory, async (store) => {
      const bad: PluginQuery[] = [
        { limit: 0 },
        { limit: 1001 },
        { limit: 2.5 },
        { page: 0 },
        { offset: -1 },
        { sort: 'size' as 'name' },
        { order: 'up' as 'asc' },
        { state: 'broken' as 'enabled' },
      ];
      for (const query of bad) {
        assert.equal(
          await codeOf(store.listPlugins(DOMAIN_A, query)),
          'INVALID_ARGUMENT',
          JSON.stringify(query),
        );
      }
    });
  });
}
