import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isProtocolError,
  parseCollectRequest,
  parseConnectRequest,
  parseConnectResponse,
  parseDisconnectRequest,
  parseResourceData,
  parseValidateConnectionRequest,
  parseValidateConnectionResponse,
  PROVIDER_ENDPOINTS,
  PROVIDER_INPUT_SCHEMAS,
  providerKey,
  ProtocolError,
  resourceDataProblems,
} from '@plugboard/protocol';

test('connect and validate_connection requests', () => {
  const body = {
    connection: { endpoint: 'vcsa01.lab.local', config: { password: 'p' }, extra: 1 },
  };
  assert.deepEqual(parseConnectRequest(body), body);
  assert.deepEqual(parseValidateConnectionRequest({ connection: {} }), {
    connection: { config: {} },
  });
  for (const bad of [
    null,
    {},
    { connection: 'x' },
    { connection: { endpoint: 1 } },
    { connection: { config: [] } },
  ]) {
    assert.throws(
      () => parseConnectRequest(bad),
      (e: unknown) => isProtocolError(e, 'INVALID_ARGUMENT'),
      JSON.stringify(bad),
    );
  }
});

test('collect and disconnect requests', () => {
  assert.deepEqual(parseCollectRequest({ session_id: 's1' }), { session_id: 's1' });
  assert.deepEqual(parseCollectRequest({ session_id: 's1', resource_types: ['vm'] }), {
    session_id: 's1',
    resource_types: ['vm'],
  });
  assert.deepEqual(parseDisconnectRequest({ session_id: 's1' }), { session_id: 's1' });
  try {
    parseCollectRequest({ session_id: '', resource_types: ['vm', 2] });
    assert.fail('expected an error');
  } catch (error) {
    assert.ok(error instanceof ProtocolError);
    assert.deepEqual(
      error.problems.map((p) => p.path),
      ['session_id', 'resource_types[1]'],
    );
  }
  assert.throws(
    () => parseDisconnectRequest({}),
    (e: unknown) => isProtocolError(e, 'INVALID_ARGUMENT'),
  );
});

test('provider answers are PLUGIN_PROTOCOL_ERROR when malformed', () => {
  assert.deepEqual(parseConnectResponse({ session_id: 'abc' }), { session_id: 'abc' });
  assert.deepEqual(parseValidateConnectionResponse({ ok: false, message: 'bad password' }), {
    ok: false,
    message: 'bad password',
  });
  for (const bad of [{ ok: 'yes' }, {}, { ok: true, message: 3 }]) {
    assert.throws(
      () => parseValidateConnectionResponse(bad),
      (e: unknown) => isProtocolError(e, 'PLUGIN_PROTOCOL_ERROR'),
    );
  }
  assert.throws(
    () => parseConnectResponse({ session: 'x' }),
    (e: unknown) => isProtocolError(e, 'PLUGIN_PROTOCOL_ERROR'),
  );
});

test('resource data', () => {
  const vm = {
    ems_ref: 'vm-1',
    resource_type: 'virtual_machine',
    name: 'vm 1',
    state: 'running',
    properties: { cpu: 2 },
    relationships: [{ type: 'runs_on', target_ems_ref: 'host-1' }],
    parent_ems_ref: 'host-1',
    tags: { env: 'test' },
  };
  assert.deepEqual(parseResourceData(vm), vm);
  const problems = resourceDataProblems(
    {
      ems_ref: '',
      resource_type: 1,
      relationships: [{ type: 'x' }, 4],
      tags: { a: 1 },
      properties: [],
    },
    'resources[3]',
  ).problems.map((p) => p.path);
  assert.deepEqual(problems, [
    'resources[3].ems_ref',
    'resources[3].resource_type',
    'resources[3].name',
    'resources[3].properties',
    'resources[3].tags.a',
    'resources[3].relationships[0].target_ems_ref',
    'resources[3].relationships[1]',
  ]);
  assert.throws(
    () => parseResourceData('vm'),
    (e: unknown) => isProtocolError(e, 'PLUGIN_PROTOCOL_ERROR'),
  );
});

test('every provider endpoint has an input schema', () => {
  for (const endpoint of PROVIDER_ENDPOINTS) assert.ok(PROVIDER_INPUT_SCHEMAS[endpoint], endpoint);
  assert.equal(providerKey('vmware', 'vcenter'), 'vmware:vcenter');
});
