import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  PlugboardError,
  importManifestText,
  listManifestProblems,
  manifestJsonSchema,
  validateManifest,
} from '@plugboard/core';

const schemaPath = new URL('../../../../../schemas/manifest.schema.json', import.meta.url);

const complete = {
  name: 'vcenter-collector',
  display_name: 'VMware vCenter collector',
  description: 'Collects VMs, hosts and datastores',
  version: '1.4.0-beta.2+build.7',
  api_version: 'v1',
  type: 'provider',
  capabilities: [
    {
      type: 'provider',
      vendor: 'vmware',
      provider_type: 'vcenter',
      resource_types: ['virtual_machine'],
    },
  ],
  providers: ['vmware'],
  labels: ['VM'],
  tags: { description: 'vCenter' },
  icon: 'https://example.com/icon.svg',
  runtime: { type: 'node', entrypoint: 'dist/plugin.js' },
  requirements: { min_api_version: 'v1', max_api_version: 'v2', os: ['linux'], arch: ['x64'] },
  configuration: { type: 'object', properties: { region: { type: 'string' } } },
  connection_parameters: [{ name: 'password', type: 'string', required: true, secret: true }],
  authentication: { methods: ['basic_auth'] },
  permissions: {
    network: ['vcsa01.lab.local:443'],
    env: ['HTTPS_PROXY'],
    memory_mb: 256,
    cpu_seconds: 60,
  },
  contacts: { author: 'Plugboard', email: 'team@example.com' },
  metadata: { homepage: 'https://example.com' },
  x_future_field: { kept: true },
};

test('committed schemas/manifest.schema.json equals the schema generated from the TypeBox source', () => {
  const committed = JSON.parse(readFileSync(schemaPath, 'utf8')) as unknown;
  assert.deepEqual(
    committed,
    manifestJsonSchema(),
    'run `npm run schema` after changing the manifest model',
  );
});

test('a complete native manifest validates and keeps unknown fields', () => {
  assert.deepEqual(listManifestProblems(complete), []);
  const manifest = validateManifest(complete);
  assert.deepEqual((manifest as Record<string, unknown>)['x_future_field'], { kept: true });
});

test('native YAML imports with string capabilities expanded', () => {
  const { format, manifest } = importManifestText(
    'name: hello\nversion: 0.1.0\ncapabilities: [echo, {type: count}]\n',
  );
  assert.equal(format, 'native');
  assert.deepEqual(manifest.capabilities, [{ type: 'echo' }, { type: 'count' }]);
});

test('every problem is reported with its path at once', () => {
  const broken = {
    ...complete,
    name: 'Bad Name',
    version: '1.0',
    capabilities: [{ type: 'provider' }, { vendor: 'x' }],
    connection_parameters: [{ name: 'port', type: 'int' }],
    permissions: { memory_mb: -1 },
  };
  const paths = listManifestProblems(broken).map((problem) => problem.path);
  for (const expected of [
    'name',
    'version',
    'capabilities[1].type',
    'connection_parameters[0].type',
    'permissions.memory_mb',
  ]) {
    assert.ok(
      paths.includes(expected),
      `expected a problem at ${expected}, got ${paths.join(', ')}`,
    );
  }
  assert.throws(
    () => validateManifest(broken),
    (error: unknown) =>
      error instanceof PlugboardError &&
      error.code === 'MANIFEST_INVALID' &&
      error.problems.length >= 5,
  );
});

test('names say in words what a pattern requires', () => {
  const [problem] = listManifestProblems({ name: 'UPPER' });
  assert.equal(problem?.path, 'name');
  assert.match(problem?.message ?? '', /lower-case plugin id/);
});

test('a manifest that is not a mapping is refused naming the source', () => {
  for (const text of ['- a\n- b\n', '42', '', 'null']) {
    assert.throws(
      () => importManifestText(text, { source: 'm.yaml' }),
      (error: unknown) =>
        error instanceof PlugboardError &&
        error.code === 'MANIFEST_INVALID' &&
        error.message.startsWith('m.yaml'),
      text,
    );
  }
});

test('forcing an unknown format is FORMAT_UNKNOWN', () => {
  assert.throws(
    () => importManifestText('name: a', { format: 'nope' as never }),
    (error: unknown) => error instanceof PlugboardError && error.code === 'FORMAT_UNKNOWN',
  );
});
