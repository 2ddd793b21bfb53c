import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  importManifest,
  importManifestText,
  listPulumicostManifestProblems,
  PULUMICOST_MANIFEST_SCHEMA,
} from '@plugboard/core';
import { expectProblemsAt } from './expect-problem.js';
import { extraField } from './extra-field.js';
import { readFixture, readJsonFixture } from './fixture-files.js';

function nestedExample(): Record<string, unknown> {
  return readJsonFixture('seed-003-nested-manifest.json') as Record<string, unknown>;
}

function flatExample(): Record<string, unknown> {
  return readJsonFixture('seed-003-flat-manifest.json') as Record<string, unknown>;
}

describe('pulumicost importer', () => {
  it('carries the PulumiCost manifest schema unchanged', () => {
    assert.deepEqual(
      PULUMICOST_MANIFEST_SCHEMA,
      readJsonFixture('pulumicost-spec/plugin_manifest.schema.json'),
    );
  });

  it('the nested example validates against the PulumiCost schema', () => {
    assert.deepEqual(listPulumicostManifestProblems(nestedExample()), []);
  });

  it('imports the flat core manifest structure of seed 003', () => {
    const { format, manifest, warnings } = importManifestText(
      readFixture('seed-003-flat-manifest.json'),
    );
    assert.equal(format, 'pulumicost');
    assert.equal(manifest.name, 'kubecost');
    assert.equal(manifest.display_name, 'Kubecost Cost Source');
    assert.equal(manifest.version, '1.2.3');
    assert.equal(manifest.api_version, 'v1');
    assert.equal(manifest.type, 'cost_source');
    assert.deepEqual(
      manifest.capabilities?.map((c) => c.type),
      ['actual_cost', 'projected_cost', 'kubernetes_native', 'cost_allocation'],
    );
    assert.deepEqual(manifest.providers, ['kubernetes', 'aws']);
    assert.equal(manifest.requirements?.min_api_version, 'v1');
    assert.deepEqual(manifest.requirements?.os, ['linux', 'darwin']);
    assert.deepEqual(
      manifest.requirements?.arch,
      ['x64', 'arm64'],
      'PulumiCost arch names → Node names',
    );
    assert.deepEqual(manifest.authentication, {
      methods: ['api_key', 'bearer_token'],
      required: true,
    });
    assert.deepEqual(manifest.configuration?.['required'], ['kubecost_url']);
    assert.equal(manifest.contacts?.email, 'plugins@example.com');
    assert.equal(manifest.metadata?.['license'], 'Apache-2.0');
    assert.equal((manifest.metadata?.['installation'] as { method: string }).method, 'binary');
    assert.deepEqual(warnings, []);
  });

  it('imports the nested manifest: service capability, permissions, requirements, configuration', () => {
    const { format, manifest, warnings } = importManifest(nestedExample());
    assert.equal(format, 'pulumicost');
    assert.equal(manifest.name, 'aws-public');
    assert.equal(manifest.version, '0.3.1');
    assert.equal(manifest.type, 'cost_source');
    assert.deepEqual(manifest.labels, ['aws', 'pricing', 'ec2', 's3', 'rds']);
    assert.deepEqual(manifest.contacts, {
      author: 'FinFocus Team',
      url: 'https://github.com/rshade/finfocus-plugin-aws-public',
    });
    const [capability] = manifest.capabilities ?? [];
    assert.equal(capability?.type, 'cost_source');
    assert.equal(capability?.name, 'CostSourceService');
    assert.deepEqual(capability?.endpoints, [
      'Name',
      'Supports',
      'GetProjectedCost',
      'GetPricingSpec',
    ]);
    assert.deepEqual(capability?.resource_types, [
      'aws:ec2/instance:Instance',
      'aws:s3/bucket:Bucket',
      'aws:rds/instance:Instance',
    ]);
    assert.deepEqual(extraField(capability, 'features'), [
      'cost_projection',
      'pricing_specs',
      'caching',
    ]);
    assert.deepEqual(manifest.permissions, { network: true, env: ['*'], unmapped: ['temp_files'] });
    assert.ok(warnings.some((w) => w.includes('temp_files')));
    assert.equal(extraField(manifest.requirements, 'min_memory_mb'), 128);
    assert.deepEqual(manifest.requirements?.os, ['linux', 'darwin']);
    assert.deepEqual(manifest.requirements?.arch, ['x64', 'arm64']);
    assert.deepEqual(manifest.requirements?.dependencies, [
      { name: 'kubecost', version: '>=1.0.0', optional: true },
    ]);
    assert.deepEqual(manifest.authentication?.methods, ['none', 'api_key']);
    assert.deepEqual(manifest.configuration, {
      type: 'object',
      properties: {
        region: { type: 'string' },
        cache_ttl_seconds: { type: 'integer', minimum: 0 },
      },
      default: { region: 'us-east-1', cache_ttl_seconds: 3600 },
      required: ['region'],
    });
    assert.equal(manifest.metadata?.['spec_version'], '0.1.0');
    assert.ok(manifest.metadata?.['installation'] !== undefined);
  });

  it('maps filesystem permissions to whole-tree access with a warning', () => {
    const document = nestedExample();
    document['security'] = { permissions: ['filesystem_read', 'filesystem_write'] };
    const { manifest, warnings } = importManifest(document);
    assert.deepEqual(manifest.permissions, { filesystem: { read: ['/'], write: ['/'] } });
    assert.ok(warnings.some((w) => w.includes('filesystem')));
    assert.equal(
      extraField(manifest.permissions, 'network'),
      undefined,
      'no network unless declared',
    );
  });

  it('names metadata.name when a nested manifest has a bad name, with every schema problem', () => {
    const document = nestedExample();
    (document['metadata'] as Record<string, unknown>)['name'] = 'Bad Name';
    (document['specification'] as Record<string, unknown>)['supported_providers'] = ['mars'];
    delete document['installation'];
    expectProblemsAt(
      () => importManifest(document),
      'metadata.name',
      'specification.supported_providers[0]',
      'installation',
    );
  });

  it('names the field of a bad JSON text inside the nested configuration', () => {
    const document = nestedExample();
    (document['configuration'] as Record<string, unknown>)['schema'] = '{not json';
    (document['configuration'] as Record<string, unknown>)['default_config'] = '[1]';
    expectProblemsAt(
      () => importManifest(document),
      'configuration.schema',
      'configuration.default_config',
    );
  });

  it('names flat fields that do not convert', () => {
    const document = flatExample();
    document['name'] = 'Kube Cost';
    document['version'] = '1.2';
    document['api_version'] = '1';
    document['capabilities'] = ['actual_cost', 42];
    (document['requirements'] as Record<string, unknown>)['max_api_version'] = 'latest';
    expectProblemsAt(
      () => importManifest(document),
      'name',
      'version',
      'api_version',
      'capabilities[1]',
      'requirements.max_api_version',
    );
  });

  it('reads a v-prefixed version and keeps unknown flat fields in metadata', () => {
    const { manifest, warnings } = importManifest({
      name: 'tiny',
      version: 'v2.0.0',
      plugin_type: 'observability',
      homepage_badge: 'gold',
    });
    assert.equal(manifest.version, '2.0.0');
    assert.equal(manifest.metadata?.['homepage_badge'], 'gold');
    assert.ok(warnings.some((w) => w.includes('v2.0.0')));
  });

  it('maps a problem the native schema finds back to the flat input path', () => {
    const document = flatExample();
    document['contacts'] = { author: 7 };
    expectProblemsAt(() => importManifest(document), 'contacts.author');
  });
});
