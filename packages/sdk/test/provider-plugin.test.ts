import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  isProviderCapability,
  parseCapabilitiesOutput,
  parseConnectResponse,
  parseErrorBody,
  parseResourceData,
  parseValidateConnectionResponse,
  type ResourceData,
} from '@plugboard/protocol';
import { makeTempDir } from '@plugboard/test-support';
import {
  call,
  EXAMPLES,
  killQuietly,
  runToEnd,
  startPlugin,
  streamLines,
  within,
  type PluginProcess,
} from './plugin-process.js';

const connection = (config: Record<string, unknown>) => ({
  connection: { endpoint: 'static.example', config },
});

test('the provider capabilities name vendor, provider type and resource types', async () => {
  const result = await runToEnd(EXAMPLES.provider, ['capabilities']);
  assert.equal(result.code, 0, result.stderr);
  const output = parseCapabilitiesOutput(result.stdout);
  assert.equal(output.format, 'plugboard');
  const capability = output.format === 'plugboard' ? output.document.capabilities[0] : undefined;
  assert.ok(capability !== undefined && isProviderCapability(capability));
  assert.equal(capability.vendor, 'example');
  assert.equal(capability.provider_type, 'static');
  assert.deepEqual(capability.resource_types, ['hypervisor_host', 'virtual_machine']);
  assert.deepEqual([...capability.endpoints].sort(), [
    'collect',
    'connect',
    'disconnect',
    'validate_connection',
  ]);
  assert.deepEqual(capability.streaming, ['collect']);
});

describe('a serving provider', () => {
  let dir: { path: string; remove(): void };
  let plugin: PluginProcess | undefined;

  before(async () => {
    dir = makeTempDir('pb-sdk-');
    plugin = await startPlugin(EXAMPLES.provider, join(dir.path, 'p.sock'), {
      config: { password: 'right' },
    });
  });
  after(async () => {
    if (plugin !== undefined) {
      plugin.child.stdin.end();
      await within(plugin.exited, 15_000, 'provider exit').catch(() => killQuietly(plugin));
    }
    dir.remove();
  });

  async function collect(sessionId: string, resourceTypes?: string[]): Promise<unknown[]> {
    assert.ok(plugin !== undefined);
    const values: unknown[] = [];
    const body =
      resourceTypes === undefined
        ? { session_id: sessionId }
        : { session_id: sessionId, resource_types: resourceTypes };
    for await (const line of streamLines(plugin.address, '/v1/provider/collect', body))
      values.push(line.value);
    return values;
  }

  test('connect → collect (stream) → disconnect', async () => {
    assert.ok(plugin !== undefined);
    const connected = await call(
      plugin.address,
      'POST',
      '/v1/provider/connect',
      connection({ password: 'right', count: 4, hosts: 2 }),
    );
    assert.equal(connected.status, 200, connected.text);
    const { session_id: sessionId } = parseConnectResponse(connected.json());

    const resources = (await collect(sessionId)).map((value) => parseResourceData(value));
    assert.deepEqual(
      resources.map((r) => r.ems_ref),
      ['host-0', 'host-1', 'vm-0', 'vm-1', 'vm-2', 'vm-3'],
    );
    const vm3 = resources.find((r) => r.ems_ref === 'vm-3') as ResourceData;
    assert.deepEqual(vm3.relationships, [{ type: 'runs_on', target_ems_ref: 'host-1' }]);
    assert.equal(vm3.parent_ems_ref, 'host-1');
    const hostRefs = new Set(
      resources.filter((r) => r.resource_type === 'hypervisor_host').map((r) => r.ems_ref),
    );
    for (const vm of resources.filter((r) => r.resource_type === 'virtual_machine')) {
      assert.ok(
        hostRefs.has(vm.relationships?.[0]?.target_ems_ref ?? ''),
        `${vm.ems_ref} points at a streamed host`,
      );
    }

    const onlyVms = (await collect(sessionId, ['virtual_machine'])).map((value) =>
      parseResourceData(value),
    );
    assert.deepEqual(
      onlyVms.map((r) => r.ems_ref),
      ['vm-0', 'vm-1', 'vm-2', 'vm-3'],
    );

    const disconnected = await call(plugin.address, 'POST', '/v1/provider/disconnect', {
      session_id: sessionId,
    });
    assert.equal(disconnected.status, 200);
    assert.deepEqual(disconnected.json(), {});

    const afterDisconnect = await call(plugin.address, 'POST', '/v1/provider/collect', {
      session_id: sessionId,
    });
    assert.equal(afterDisconnect.status, 404);
    assert.equal(parseErrorBody(afterDisconnect.json())?.error.code, 'NOT_FOUND');
    // Disconnecting again (the host always disconnects) still succeeds.
    assert.equal(
      (await call(plugin.address, 'POST', '/v1/provider/disconnect', { session_id: sessionId }))
        .status,
      200,
    );
  });

  test('validate_connection answers ok true or false with a message', async () => {
    assert.ok(plugin !== undefined);
    const good = await call(
      plugin.address,
      'POST',
      '/v1/provider/validate_connection',
      connection({ password: 'right' }),
    );
    assert.deepEqual(parseValidateConnectionResponse(good.json()), { ok: true });
    const bad = await call(
      plugin.address,
      'POST',
      '/v1/provider/validate_connection',
      connection({ password: 'wrong' }),
    );
    assert.equal(bad.status, 200);
    const answer = parseValidateConnectionResponse(bad.json());
    assert.equal(answer.ok, false);
    assert.match(answer.message ?? '', /wrong password/);
  });

  test('connect with a wrong password answers UNAUTHENTICATED', async () => {
    assert.ok(plugin !== undefined);
    const answer = await call(
      plugin.address,
      'POST',
      '/v1/provider/connect',
      connection({ password: 'example-password' }),
    );
    assert.equal(answer.status, 401);
    assert.equal(parseErrorBody(answer.json())?.error.code, 'UNAUTHENTICATED');
  });

  test('bad provider requests answer INVALID_ARGUMENT or NOT_FOUND', async () => {
    assert.ok(plugin !== undefined);
    const noSession = await call(plugin.address, 'POST', '/v1/provider/collect', {});
    assert.equal(parseErrorBody(noSession.json())?.error.code, 'INVALID_ARGUMENT');
    assert.match(noSession.text, /session_id/);
    const unknown = await call(plugin.address, 'POST', '/v1/provider/collect', {
      session_id: 'nope',
    });
    assert.equal(parseErrorBody(unknown.json())?.error.code, 'NOT_FOUND');
    const { session_id: sessionId } = parseConnectResponse(
      (
        await call(
          plugin.address,
          'POST',
          '/v1/provider/connect',
          connection({ password: 'right' }),
        )
      ).json(),
    );
    const badType = await call(plugin.address, 'POST', '/v1/provider/collect', {
      session_id: sessionId,
      resource_types: ['database'],
    });
    assert.equal(badType.status, 400);
    assert.match(parseErrorBody(badType.json())?.error.message ?? '', /"database" not supported/);
    const badCount = await call(
      plugin.address,
      'POST',
      '/v1/provider/connect',
      connection({ password: 'right', count: -1 }),
    );
    assert.equal(parseErrorBody(badCount.json())?.error.code, 'INVALID_ARGUMENT');
    await call(plugin.address, 'POST', '/v1/provider/disconnect', { session_id: sessionId });
  });
});
