import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConnectResponse, parseErrorBody } from '@plugboard/protocol';
import { createJsonLineLogger, PluginServer } from '@plugboard/sdk';
import { defineProvider } from '@plugboard/sdk/provider';
import { makeTempDir } from '@plugboard/test-support';
import { call, streamLines } from './plugin-process.js';

test('sessions left open are disconnected at shutdown; invalid resources end collect with an error line', async () => {
  const dir = makeTempDir('pb-sdk-');
  const closed: string[] = [];
  const provider = defineProvider<{ name: string }>({
    vendor: 'test',
    providerType: 'memory',
    supportedResourceTypes: ['virtual_machine'],
    connect: (connection) => ({ name: String(connection.config['name']) }),
    *collect(client) {
      yield { ems_ref: `${client.name}-1`, resource_type: 'virtual_machine', name: 'one' };
      yield { ems_ref: '', resource_type: 'virtual_machine', name: 'broken' };
    },
    disconnect: (client) => {
      closed.push(client.name);
    },
  });
  const server = new PluginServer(
    { name: 'sessions', version: '1.0.0', capabilities: [provider] },
    { log: createJsonLineLogger({ write: () => true }) },
  );
  try {
    const address = await server.listen(join(dir.path, 's.sock'));
    const connect = async (name: string): Promise<string> =>
      parseConnectResponse(
        (
          await call(address, 'POST', '/v1/provider/connect', { connection: { config: { name } } })
        ).json(),
      ).session_id;
    const a = await connect('a');
    await connect('b');
    assert.notEqual(a, await connect('c'), 'session ids differ');

    const values: unknown[] = [];
    for await (const line of streamLines(address, '/v1/provider/collect', { session_id: a }))
      values.push(line.value);
    assert.equal(values.length, 2);
    const failure = parseErrorBody(values[1]);
    assert.equal(failure?.error.code, 'PLUGIN_CALL_FAILED');
    assert.match(failure?.error.message ?? '', /resource\[1\]\.ems_ref/);

    assert.deepEqual(
      (await call(address, 'POST', '/v1/provider/disconnect', { session_id: a })).json(),
      {},
    );
    assert.deepEqual(closed, ['a']);
    await server.shutdown('test');
    assert.deepEqual(closed.sort(), ['a', 'b', 'c']);
  } finally {
    await server.shutdown('test');
    dir.remove();
  }
});
