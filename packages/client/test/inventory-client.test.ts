import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { isPlugboardError } from '@plugboard/core';
import { InventoryClient, RegistryClient, isFinalRunState, type RunView } from '@plugboard/client';
import {
  ADMIN_TOKEN,
  EXAMPLE_PASSWORD,
  exampleProviderPackage,
  startPlugboardServer,
  type PlugboardServer,
} from './helpers/plugboard-server.js';

/** How many times a test reads a run before giving up on it ending (100 ms apart). */
const MAX_RUN_POLLS = 600;

/** Rejects with a `PlugboardError` of `code` (and HTTP `status` when given). */
async function rejectsWith(call: Promise<unknown>, code: string, status?: number): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(isPlugboardError(error), `a PlugboardError, not ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (status !== undefined) assert.equal(error.details?.['status'], status);
    return true;
  });
}

/** Reads the run until it has ended. */
async function untilEnded(client: InventoryClient, run: RunView): Promise<RunView> {
  let current = run;
  for (let poll = 0; !isFinalRunState(current.state); poll += 1) {
    assert.ok(poll < MAX_RUN_POLLS, `run ${run.id} is still ${current.state}`);
    await sleep(100);
    current = await client.getRun(run.id);
  }
  return current;
}

describe('InventoryClient against a real Plugboard server', () => {
  let server: PlugboardServer;
  let inventory: InventoryClient;

  before(async () => {
    server = await startPlugboardServer();
    inventory = new InventoryClient({ url: server.url, token: ADMIN_TOKEN, timeoutMs: 20_000 });
  });
  after(async () => {
    await server?.close();
  });

  test('provider plugins: upload, conflict, force, list, get, refresh, unknown key', async () => {
    const uploaded = await inventory.uploadProviderPlugin(exampleProviderPackage('0.1.0'));
    assert.equal(uploaded.key, 'example:static');
    assert.equal(uploaded.version, '0.1.0');
    assert.equal(uploaded.replaced, null);
    assert.equal(uploaded.class_path, 'main.js');

    await rejectsWith(
      inventory.uploadProviderPlugin(exampleProviderPackage('0.2.0')),
      'ALREADY_EXISTS',
      409,
    );
    const forced = await inventory.uploadProviderPlugin(exampleProviderPackage('0.2.0'), {
      force: true,
    });
    assert.deepEqual(forced.replaced, { name: 'example-provider', version: '0.1.0' });

    const list = await inventory.listProviderPlugins();
    assert.deepEqual(
      list.plugins.map((plugin) => [plugin.key, plugin.version, plugin.instances]),
      [['example:static', '0.2.0', 0]],
    );
    assert.equal(list.total, 1);

    const detail = await inventory.getProviderPlugin('example:static');
    assert.deepEqual(detail.resource_types, ['hypervisor_host', 'virtual_machine']);
    const password = detail.connection_parameters.find((p) => p.name === 'password');
    assert.equal(password?.secret, true);
    assert.ok(detail.endpoints.includes('collect'));

    const refreshed = await inventory.refreshProviderPlugins();
    assert.deepEqual(
      refreshed.plugins.map((plugin) => plugin.key),
      ['example:static'],
    );
    assert.deepEqual(refreshed.problems, []);

    await rejectsWith(inventory.getProviderPlugin('nobody:nothing'), 'PLUGIN_NOT_FOUND', 404);
  });

  test('providers: create with a masked secret, list, get, update, errors with codes', async () => {
    const created = await inventory.createProvider({
      name: 'lab',
      vendor: 'example',
      provider_type: 'static',
      endpoint: 'lab.example',
      connection_config: { password: EXAMPLE_PASSWORD, count: 4 },
    });
    assert.equal(created.name, 'lab');
    assert.equal(created.plugin_key, 'example:static');
    assert.equal(created.connection_config['password'], '********');
    assert.deepEqual(created.secret_parameters, ['password']);
    assert.deepEqual(created.warnings, []);
    assert.equal(created.plugin.installed, true);

    await rejectsWith(
      inventory.createProvider({
        name: 'lab',
        vendor: 'example',
        provider_type: 'static',
        connection_config: { password: EXAMPLE_PASSWORD },
      }),
      'ALREADY_EXISTS',
      409,
    );
    await assert.rejects(
      inventory.createProvider({ name: 'no-password', vendor: 'example', provider_type: 'static' }),
      (error: unknown) =>
        isPlugboardError(error) &&
        error.code === 'INVALID_ARGUMENT' &&
        error.problems.some((problem) => problem.path.includes('password')),
    );

    const page = await inventory.listProviders({ vendor: 'example', limit: 10 });
    assert.deepEqual(
      page.providers.map((provider) => provider.name),
      ['lab'],
    );
    assert.equal(page.total, 1);
    assert.equal(page.limit, 10);
    assert.equal((await inventory.listProviders({ vendor: 'nobody' })).total, 0);

    const fetched = await inventory.getProvider(created.id);
    assert.equal(fetched.endpoint, 'lab.example');

    const updated = await inventory.updateProvider(created.id, { endpoint: 'lab2.example' });
    assert.equal(updated.endpoint, 'lab2.example');
    assert.equal(updated.connection_config['count'], 4, 'fields not sent are kept');
    assert.equal(updated.connection_config['password'], '********');

    await rejectsWith(inventory.getProvider('no-such-provider'), 'NOT_FOUND', 404);
    await rejectsWith(inventory.deleteProvider('no-such-provider'), 'NOT_FOUND', 404);
  });

  test('runs and resources: collect, second run conflicts, list, filters, paging, drift', async () => {
    const provider = await inventory.getProvider(
      (await inventory.listProviders()).providers.find((p) => p.name === 'lab')?.id ?? '',
    );
    const queued = await inventory.collect(provider.id);
    assert.equal(queued.provider_id, provider.id);
    assert.ok(['pending', 'running'].includes(queued.state), queued.state);
    const first = await untilEnded(inventory, queued);
    assert.equal(first.state, 'completed', JSON.stringify(first.error));
    assert.equal(first.found, 5, 'one host and four VMs');
    assert.equal(first.created, 5);
    assert.equal(first.plugin_version, '0.2.0', 'the version the forced upload installed');

    const runs = await inventory.listRuns({ provider_id: provider.id, state: 'completed' });
    assert.deepEqual(
      runs.runs.map((run) => run.id),
      [queued.id],
    );

    const vms = await inventory.listResources({
      provider_id: provider.id,
      resource_type: 'virtual_machine',
      limit: 3,
    });
    assert.equal(vms.total, 4);
    assert.equal(vms.resources.length, 3);
    const second = await inventory.listResources({
      provider_id: provider.id,
      resource_type: 'virtual_machine',
      limit: 3,
      page: 2,
    });
    assert.deepEqual(
      second.resources.map((resource) => resource.ems_ref),
      ['vm-3'],
    );
    const found = await inventory.listResources({ q: 'vm 1' });
    assert.deepEqual(
      found.resources.map((resource) => resource.ems_ref),
      ['vm-1'],
    );

    // Two hosts: vm-1 moves to host-1, which the next run records as drift.
    await inventory.updateProvider(provider.id, {
      connection_config: { password: '********', count: 4, hosts: 2 },
    });
    const again = await untilEnded(inventory, await inventory.collect(provider.id));
    assert.equal(again.state, 'completed', JSON.stringify(again.error));
    const vm1 = found.resources[0];
    assert.ok(vm1 !== undefined);
    const detail = await inventory.getResource(vm1.id);
    assert.equal(detail.parent_ems_ref, 'host-1');
    assert.equal(typeof detail.parent_id, 'string');
    assert.ok(
      detail.drift.some((entry) => entry.run_id === again.id && entry.field === 'parent_ems_ref'),
      JSON.stringify(detail.drift),
    );
    assert.equal((await inventory.getResource(vm1.id, { driftLimit: 1 })).drift.length, 1);
    await rejectsWith(inventory.getResource('no-such-resource'), 'NOT_FOUND', 404);
    await rejectsWith(inventory.getRun('no-such-run'), 'NOT_FOUND', 404);
    await rejectsWith(inventory.cancelRun(again.id), 'CONFLICT', 409);
  });

  test('cancel a slow run; a provider with an active run cannot be deleted until then', async () => {
    const slow = await inventory.createProvider({
      name: 'slow',
      vendor: 'example',
      provider_type: 'static',
      connection_config: { password: EXAMPLE_PASSWORD, count: 1000, interval_ms: 50 },
    });
    const run = await inventory.collect(slow.id);
    await rejectsWith(inventory.collect(slow.id), 'CONFLICT', 409);
    await rejectsWith(inventory.deleteProvider(slow.id), 'CONFLICT', 409);

    const canceling = await inventory.cancelRun(run.id);
    assert.equal(canceling.id, run.id);
    assert.ok(canceling.cancel_requested || canceling.state === 'canceled');
    const ended = await untilEnded(inventory, canceling);
    assert.equal(ended.state, 'canceled');

    await inventory.deleteProvider(slow.id);
    await rejectsWith(inventory.getProvider(slow.id), 'NOT_FOUND', 404);
  });

  test('connection tests, then deleting the plugin: conflict while used, orphans with force', async () => {
    const tested = await inventory.testProviderPlugin('example:static');
    assert.equal(tested.key, 'example:static');
    assert.deepEqual(
      tested.results.map((result) => [result.name, result.ok]),
      [['lab', true]],
    );
    await rejectsWith(inventory.deleteProviderPlugin('example:static'), 'CONFLICT', 409);
    const removed = await inventory.deleteProviderPlugin('example:static', { force: true });
    assert.equal(removed.deleted.key, 'example:static');
    assert.deepEqual(
      removed.orphaned_providers.map((provider) => provider.name),
      ['lab'],
    );
    assert.equal((await inventory.listProviderPlugins()).total, 0);
  });

  test('credentials, cancellation and timeouts: UNAUTHENTICATED, FORBIDDEN for a reader, ABORTED, TIMEOUT', async () => {
    const anonymous = new InventoryClient({ url: server.url });
    await rejectsWith(anonymous.listProviders(), 'UNAUTHENTICATED', 401);

    const made = await fetch(`${server.url}/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'reader', role: 'reader' }),
    });
    assert.equal(made.status, 201, await made.clone().text());
    const { secret } = (await made.json()) as { secret: string };
    const reader = new InventoryClient({ url: server.url, token: secret });
    assert.equal((await reader.listProviders()).providers.length, 1);
    await rejectsWith(reader.collect('anything'), 'FORBIDDEN', 403);
    await rejectsWith(reader.uploadProviderPlugin(exampleProviderPackage()), 'FORBIDDEN', 403);

    const controller = new AbortController();
    controller.abort();
    await rejectsWith(inventory.listRuns({}, { signal: controller.signal }), 'ABORTED');

    // A fetch that holds every request 2 s: a 50 ms timeout ends the call first.
    const held = new InventoryClient({
      url: server.url,
      token: ADMIN_TOKEN,
      timeoutMs: 50,
      fetch: (url, init) =>
        sleep(2_000, undefined, { signal: init.signal ?? undefined }).then(() => fetch(url, init)),
    });
    await rejectsWith(held.getRun('any'), 'TIMEOUT');
  });
});

describe('RegistryClient enable and disable against a real Plugboard server', () => {
  let server: PlugboardServer;

  before(async () => {
    server = await startPlugboardServer();
  });
  after(async () => {
    await server?.close();
  });

  test('disablePlugin and enablePlugin change a LOCAL plugin; unknown plugins keep their code', async () => {
    const registry = new RegistryClient({ url: server.url, token: ADMIN_TOKEN });
    await registry.registerPlugin(
      JSON.stringify({ name: 'toggle', version: '1.0.0', description: 'switched on and off' }),
      { contentType: 'application/json' },
    );
    const disabled = await registry.disablePlugin('toggle');
    assert.equal(disabled.enabled, false);
    assert.equal(disabled.state, 'disabled');
    assert.equal((await registry.getPlugin('toggle')).state, 'disabled');
    const enabled = await registry.enablePlugin('toggle');
    assert.equal(enabled.state, 'enabled');
    await rejectsWith(registry.disablePlugin('missing'), 'PLUGIN_NOT_FOUND', 404);
    const anonymous = new RegistryClient({ url: server.url });
    await rejectsWith(anonymous.enablePlugin('toggle'), 'UNAUTHENTICATED', 401);
  });
});
