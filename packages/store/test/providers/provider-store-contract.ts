import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import type { ProviderInput, ProviderStore, ResourceInput } from '@plugboard/store';

/** Opens a fresh provider store on an empty database, and removes it afterwards. */
export interface ProviderStoreHarness {
  open(options?: { now?: () => Date }): Promise<ProviderStore>;
  destroy(): Promise<void>;
}

/** Makes a harness for one test. */
export type ProviderHarnessFactory = () => Promise<ProviderStoreHarness>;

/** The error code a promise rejects with, or `resolved`. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'resolved',
    (error: unknown) => String((error as { code?: unknown }).code),
  );
}

function providerInput(name: string, overrides: Partial<ProviderInput> = {}): ProviderInput {
  return {
    name,
    vendor: 'example',
    providerType: 'static',
    config: { port: 443 },
    secretKeys: ['password'],
    secretsCiphertext: 'v1:opaque',
    ...overrides,
  };
}

function vm(ref: string, overrides: Partial<ResourceInput> = {}): ResourceInput {
  return {
    emsRef: ref,
    resourceType: 'virtual_machine',
    name: `vm ${ref}`,
    state: 'running',
    properties: { cpu: 2, memory_mb: 2048 },
    relationships: [{ type: 'runs_on', targetEmsRef: 'host-0' }],
    parentEmsRef: 'host-0',
    tags: { env: 'test' },
    ...overrides,
  };
}

/** The one test body every `ProviderStore` backend must pass. */
export function providerStoreContract(factory: ProviderHarnessFactory): void {
  let harness: ProviderStoreHarness;
  let store: ProviderStore;
  beforeEach(async () => {
    harness = await factory();
    store = await harness.open();
  });
  afterEach(async () => {
    await store.close();
    await harness.destroy();
  });

  it('creates, reads, lists, updates and deletes providers per domain', async () => {
    const created = await store.createProvider('a', providerInput('vc', { endpoint: 'vc.lab' }));
    assert.equal(created.domainId, 'a');
    assert.equal(created.enabled, true);
    assert.deepEqual(created.config, { port: 443 });
    assert.deepEqual(created.secretKeys, ['password']);
    assert.equal(created.secretsCiphertext, 'v1:opaque');
    assert.deepEqual(await store.getProvider('a', created.id), created);
    assert.equal(await store.getProvider('b', created.id), undefined);
    assert.equal((await store.findProviderById(created.id))?.name, 'vc');

    assert.equal(await codeOf(store.createProvider('a', providerInput('vc'))), 'ALREADY_EXISTS');
    await store.createProvider('b', providerInput('vc'));
    await store.createProvider('a', providerInput('aws', { vendor: 'aws', providerType: 'aws' }));
    await store.createProvider('a', providerInput('off', { enabled: false }));

    const page = await store.listProviders('a', { limit: 2 });
    assert.deepEqual(
      page.providers.map((p) => p.name),
      ['aws', 'off'],
    );
    assert.equal(page.total, 3);
    const second = await store.listProviders('a', { limit: 2, page: 2 });
    assert.deepEqual(
      second.providers.map((p) => p.name),
      ['vc'],
    );
    assert.deepEqual(
      (await store.listProviders('a', { vendor: 'example', enabled: true })).providers.map(
        (p) => p.name,
      ),
      ['vc'],
    );

    assert.deepEqual(await store.countProvidersByPlugin('a'), [
      { vendor: 'aws', providerType: 'aws', count: 1 },
      { vendor: 'example', providerType: 'static', count: 2 },
    ]);
    assert.deepEqual(
      (await store.countProvidersByPlugin()).find((u) => u.vendor === 'example')?.count,
      3,
    );
    assert.deepEqual(
      (await store.listProvidersOfPlugin('example', 'static')).map(
        (p) => `${p.domainId}/${p.name}`,
      ),
      ['a/off', 'a/vc', 'b/vc'],
    );

    const updated = await store.updateProvider('a', created.id, {
      name: 'vcenter',
      endpoint: null,
      enabled: false,
      config: { port: 8443 },
    });
    assert.equal(updated.name, 'vcenter');
    assert.equal(updated.endpoint, undefined);
    assert.equal(updated.enabled, false);
    assert.deepEqual(updated.config, { port: 8443 });
    assert.equal(updated.secretsCiphertext, 'v1:opaque', 'fields not in the patch are kept');
    assert.equal(
      await codeOf(store.updateProvider('a', created.id, { name: 'aws' })),
      'ALREADY_EXISTS',
    );
    assert.equal(await codeOf(store.updateProvider('b', created.id, { name: 'x' })), 'NOT_FOUND');

    await store.deleteProvider('a', created.id);
    assert.equal(await store.getProvider('a', created.id), undefined);
    assert.equal(await codeOf(store.deleteProvider('a', created.id)), 'NOT_FOUND');
  });

  it('queues one active run per provider and runs it through its states', async () => {
    const provider = await store.createProvider('a', providerInput('vc'));
    const run = await store.createRun('a', provider.id, { requestedBy: 'tok-1' });
    assert.equal(run.state, 'pending');
    assert.equal(run.pluginKey, 'example:static');
    assert.equal(run.requestedBy, 'tok-1');
    assert.equal(await codeOf(store.createRun('b', provider.id)), 'NOT_FOUND');
    const conflict = await store.createRun('a', provider.id).catch((error: unknown) => error);
    assert.equal((conflict as { code?: string }).code, 'CONFLICT');
    assert.match((conflict as Error).message, new RegExp(run.id));
    assert.equal(await codeOf(store.deleteProvider('a', provider.id)), 'CONFLICT');

    const claimed = await store.claimRun('worker-1');
    assert.equal(claimed?.id, run.id);
    assert.equal(claimed?.state, 'running');
    assert.equal(claimed?.workerId, 'worker-1');
    assert.notEqual(claimed?.startedAt, undefined);
    assert.equal(await store.claimRun('worker-2'), undefined, 'nothing else is pending');

    const counts = { found: 3, created: 3, updated: 0, unchanged: 0, removed: 0, invalid: 0 };
    assert.deepEqual(
      await store.heartbeatRun(run.id, 'worker-1', { counts, pluginVersion: '0.1.0' }),
      { owned: true, cancelRequested: false },
    );
    assert.deepEqual(await store.heartbeatRun(run.id, 'worker-2', { counts }), {
      owned: false,
      cancelRequested: false,
    });
    const canceling = await store.cancelRun('a', run.id);
    assert.equal(canceling.state, 'running');
    assert.equal(canceling.cancelRequested, true);
    assert.deepEqual(await store.heartbeatRun(run.id, 'worker-1', { counts }), {
      owned: true,
      cancelRequested: true,
    });
    assert.equal(
      await store.finishRun(run.id, 'worker-2', { state: 'completed', counts }),
      undefined,
      'another worker cannot finish it',
    );
    const finished = await store.finishRun(run.id, 'worker-1', {
      state: 'canceled',
      counts,
      error: { code: 'ABORTED', message: 'canceled' },
    });
    assert.equal(finished?.state, 'canceled');
    assert.deepEqual(finished?.counts, counts);
    assert.equal(finished?.pluginVersion, '0.1.0');
    assert.deepEqual(finished?.error, { code: 'ABORTED', message: 'canceled' });
    assert.notEqual(finished?.finishedAt, undefined);
    assert.equal(await codeOf(store.cancelRun('a', run.id)), 'CONFLICT');
    assert.equal(await codeOf(store.cancelRun('a', 'missing')), 'NOT_FOUND');

    // Once the run ended, another may be queued; a pending one is canceled at once.
    const next = await store.createRun('a', provider.id, { resourceTypes: ['virtual_machine'] });
    assert.deepEqual(next.resourceTypes, ['virtual_machine']);
    assert.equal((await store.cancelRun('a', next.id)).state, 'canceled');
    assert.equal(await store.claimRun('worker-1'), undefined, 'a canceled run is never claimed');

    const runs = await store.listRuns('a', { providerId: provider.id });
    assert.equal(runs.total, 2);
    assert.deepEqual(
      runs.runs.map((r) => r.id),
      [next.id, run.id],
    );
    assert.equal((await store.listRuns('a', { state: 'canceled', limit: 1 })).runs.length, 1);
    assert.equal((await store.listRuns('b')).total, 0);
    assert.equal((await store.getRun('a', run.id))?.state, 'canceled');
    assert.equal(await store.getRun('b', run.id), undefined);
  });

  it('claims the oldest pending run first and fails runs whose worker went quiet', async () => {
    let now = Date.parse('2030-01-01T00:00:00.000Z');
    await store.close();
    store = await harness.open({ now: () => new Date(now) });
    const first = await store.createProvider('a', providerInput('one'));
    const second = await store.createProvider('a', providerInput('two'));
    const older = await store.createRun('a', second.id);
    now += 1000;
    const newer = await store.createRun('a', first.id);
    assert.equal((await store.claimRun('w'))?.id, older.id);
    now += 60_000;
    assert.equal((await store.claimRun('w'))?.id, newer.id);
    const stale = await store.failStaleRuns(new Date(now - 30_000), 'the worker stopped');
    assert.deepEqual(
      stale.map((r) => r.id),
      [older.id],
    );
    const failed = await store.getRun('a', older.id);
    assert.equal(failed?.state, 'failed');
    assert.deepEqual(failed?.error, { code: 'UNAVAILABLE', message: 'the worker stopped' });
    const counts = { found: 0, created: 0, updated: 0, unchanged: 0, removed: 0, invalid: 0 };
    assert.deepEqual(await store.heartbeatRun(older.id, 'w', { counts }), {
      owned: false,
      cancelRequested: false,
    });
    assert.equal((await store.getRun('a', newer.id))?.state, 'running');
  });

  it('upserts resources by ems_ref, records drift and soft-deletes unseen ones', async () => {
    const provider = await store.createProvider('a', providerInput('vc'));
    const target = (runId: string) => ({ runId, domainId: 'a', providerId: provider.id });
    const host: ResourceInput = {
      emsRef: 'host-0',
      resourceType: 'hypervisor_host',
      name: 'host 0',
      state: 'connected',
    };
    assert.deepEqual(
      await store.ingestResources(target('r1'), [host, vm('vm-1'), vm('vm-2'), vm('vm-2')]),
      { created: 3, updated: 0, unchanged: 0 },
    );
    assert.equal(await store.removeUnseenResources(target('r1')), 0);

    // Run 2: vm-1 changes (key order alone is no change), vm-2 is gone, host unchanged.
    const changed = vm('vm-1', {
      state: 'stopped',
      properties: { memory_mb: 2048, cpu: 4, disk_gb: 10 },
      tags: { env: 'test' },
    });
    assert.deepEqual(await store.ingestResources(target('r2'), [changed]), {
      created: 0,
      updated: 1,
      unchanged: 0,
    });
    assert.deepEqual(
      await store.ingestResources(target('r2'), [
        { ...host },
        vm('vm-3', { properties: { memory_mb: 2048, cpu: 2 } }),
      ]),
      { created: 1, updated: 0, unchanged: 1 },
    );
    assert.equal(await store.removeUnseenResources(target('r2')), 1);

    const live = await store.listResources('a');
    assert.deepEqual(
      live.resources.map((r) => r.emsRef),
      ['host-0', 'vm-1', 'vm-3'],
    );
    assert.equal(live.total, 3);
    const all = await store.listResources('a', { includeDeleted: true });
    assert.equal(all.total, 4);
    const gone = all.resources.find((r) => r.emsRef === 'vm-2');
    assert.notEqual(gone?.deletedAt, undefined);

    const [vm1] = await store.findResourcesByEmsRef('a', provider.id, ['vm-1', 'vm-1']);
    assert.ok(vm1 !== undefined);
    assert.equal(vm1.state, 'stopped');
    assert.deepEqual(vm1.relationships, [{ type: 'runs_on', targetEmsRef: 'host-0' }]);
    assert.equal(vm1.parentEmsRef, 'host-0');
    assert.equal(vm1.lastSeenRunId, 'r2');
    assert.deepEqual(await store.getResource('a', vm1.id), vm1);
    assert.equal(await store.getResource('b', vm1.id), undefined);
    const drift = await store.listResourceDrift('a', vm1.id);
    assert.deepEqual(
      drift.map((d) => [d.runId, d.field, d.oldValue, d.newValue]),
      [
        ['r2', 'properties.cpu', 2, 4],
        ['r2', 'properties.disk_gb', undefined, 10],
        ['r2', 'state', 'running', 'stopped'],
      ],
    );
    assert.deepEqual(await store.listResourceDrift('b', vm1.id), []);

    // Run 3 sees vm-2 again: it comes back, with its removal and return in its history.
    assert.deepEqual(await store.ingestResources(target('r3'), [vm('vm-2')]), {
      created: 0,
      updated: 1,
      unchanged: 0,
    });
    const vm2 = (await store.findResourcesByEmsRef('a', provider.id, ['vm-2']))[0];
    assert.equal(vm2?.deletedAt, undefined);
    const history = await store.listResourceDrift('a', vm2?.id ?? '');
    assert.deepEqual(
      history.map((d) => [d.runId, d.field, d.oldValue, d.newValue]),
      [
        ['r3', 'deleted', true, false],
        ['r2', 'deleted', false, true],
      ],
    );
    // Removal limited to resource types leaves the others alone.
    assert.equal(await store.removeUnseenResources(target('r3'), ['hypervisor_host']), 1);
    assert.equal((await store.listResources('a')).total, 3);
  });

  it('filters and pages resources', async () => {
    const provider = await store.createProvider('a', providerInput('vc'));
    const other = await store.createProvider('a', providerInput('other'));
    const resources = Array.from({ length: 12 }, (_, i) =>
      vm(`vm-${String(i).padStart(2, '0')}`, { state: i % 3 === 0 ? 'stopped' : 'running' }),
    );
    resources.push(vm('odd_%', { name: 'Web 100%_done' }));
    await store.ingestResources({ runId: 'r', domainId: 'a', providerId: provider.id }, resources);
    await store.ingestResources({ runId: 'r', domainId: 'a', providerId: other.id }, [
      { emsRef: 'h', resourceType: 'hypervisor_host', name: 'h' },
    ]);
    assert.equal((await store.listResources('a')).total, 14);
    assert.equal((await store.listResources('a', { providerId: other.id })).total, 1);
    assert.equal((await store.listResources('a', { resourceType: 'virtual_machine' })).total, 13);
    assert.equal((await store.listResources('a', { state: 'stopped' })).total, 4);
    assert.deepEqual(
      (await store.listResources('a', { q: '100%_' })).resources.map((r) => r.emsRef),
      ['odd_%'],
      '% and _ in q are literal',
    );
    assert.equal((await store.listResources('a', { q: 'VM VM-0' })).total, 10, 'case-insensitive');
    assert.equal((await store.listResources('a', { q: '%' })).total, 1);
    const page = await store.listResources('a', {
      resourceType: 'virtual_machine',
      limit: 5,
      page: 3,
    });
    assert.deepEqual(
      page.resources.map((r) => r.name),
      ['vm vm-09', 'vm vm-10', 'vm vm-11'],
    );
    assert.equal(page.total, 13);
    assert.equal((await store.listResources('b')).total, 0);

    // Deleting a provider takes its resources and drift with it.
    await store.ingestResources({ runId: 'r2', domainId: 'a', providerId: other.id }, [
      { emsRef: 'h', resourceType: 'hypervisor_host', name: 'renamed' },
    ]);
    await store.deleteProvider('a', other.id);
    assert.equal((await store.listResources('a', { includeDeleted: true })).total, 13);
  });
}
