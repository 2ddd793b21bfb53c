import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { importManifest, importManifestText, inventoryImporter } from '@plugboard/core';
import { expectProblemsAt } from './expect-problem.js';
import { extraField } from './extra-field.js';
import { readFixture } from './fixture-files.js';

function vcenter(): Record<string, unknown> {
  return parseYaml(readFixture('seed-004-vcenter-manifest.yml')) as Record<string, unknown>;
}

describe('inventory importer', () => {
  it('imports the vCenter manifest.yml', () => {
    const { format, manifest, warnings } = importManifestText(
      readFixture('seed-004-vcenter-manifest.yml'),
    );
    assert.equal(format, 'inventory');
    assert.equal(manifest.name, 'vcenter', 'a valid given name is kept');
    assert.equal(manifest.type, 'provider');
    assert.deepEqual(manifest.providers, ['vmware']);
    assert.deepEqual(manifest.capabilities, [
      {
        type: 'provider',
        vendor: 'vmware',
        provider_type: 'vcenter',
        resource_types: [
          'virtual_machine',
          'hypervisor_host',
          'container_orchestration_platform',
          'block_storage',
          'auto_scaling_group',
        ],
      },
    ]);
    const parameters = manifest.connection_parameters ?? [];
    assert.deepEqual(
      parameters.map((p) => [p.name, p.type, p.secret ?? false]),
      [
        ['username', 'string', false],
        ['password', 'string', true],
        ['port', 'integer', false],
        ['verify_ssl', 'boolean', false],
      ],
    );
    assert.equal(parameters[2]?.default, 443);
    assert.equal(manifest.tags?.['infrastructure'], 'private_cloud');
    assert.ok(manifest.metadata?.['dependencies'] !== undefined);
    assert.equal(manifest.metadata?.['class_path'], 'vcenter.provider:VMwareVSphereProvider');
    assert.ok(warnings.some((w) => w.includes('class_path')));
  });

  it('imports the AWS manifest.yml: derived id, display name, sensitive read as secret', () => {
    const { manifest, warnings } = importManifestText(readFixture('seed-004-aws-manifest.yml'));
    assert.equal(manifest.name, 'aws-aws');
    assert.equal(manifest.display_name, 'Amazon Web Services');
    const password = manifest.connection_parameters?.find((p) => p.name === 'password');
    assert.equal(password?.secret, true);
    assert.equal(extraField(password, 'sensitive'), undefined);
    assert.equal(manifest.capabilities?.[0]?.resource_types?.length, 10);
    assert.ok(warnings.some((w) => w.includes('aws-aws')));
  });

  it('warns about a credential-like parameter that is not marked secret', () => {
    const document = vcenter();
    document['connection_parameters'] = [{ name: 'api_token', type: 'string' }];
    const { warnings } = importManifest(document);
    assert.ok(warnings.some((w) => w.includes('api_token') && w.includes('secret')));
  });

  it('accepts Python type names, a missing type, and parameters keyed by name', () => {
    const document = vcenter();
    document['connection_parameters'] = {
      port: { type: 'int', default: 443 },
      insecure: { type: 'bool' },
      label: { description: 'free text' },
    };
    const { manifest, warnings } = importManifest(document);
    assert.deepEqual(
      manifest.connection_parameters?.map((p) => [p.name, p.type]),
      [
        ['port', 'integer'],
        ['insecure', 'boolean'],
        ['label', 'string'],
      ],
    );
    assert.ok(warnings.some((w) => w.includes('string assumed')));
  });

  it('names connection_parameters[1].type for a bad type, and every other problem', () => {
    const document = vcenter();
    document['connection_parameters'] = [
      { name: 'username', type: 'string' },
      { name: 'port', type: 'port-number' },
      { type: 'string' },
      { name: 'verify_ssl', type: 'boolean', default: 'yes', secret: 'no' },
    ];
    document['version'] = 'one';
    expectProblemsAt(
      () => importManifest(document),
      'connection_parameters[1].type',
      'connection_parameters[2].name',
      'connection_parameters[3].default',
      'connection_parameters[3].secret',
      'version',
    );
  });

  it('names vendor and provider_type when they are unusable', () => {
    expectProblemsAt(
      () => importManifest({ vendor: '', provider_type: ['x'] }),
      'vendor',
      'provider_type',
    );
  });

  it('maps a native-schema failure in a parameter back to its input path', () => {
    const document = vcenter();
    document['connection_parameters'] = { port: { type: 'integer', label: 5 } };
    expectProblemsAt(() => importManifest(document), 'connection_parameters.port.label');
  });

  it('detects by vendor + provider_type only', () => {
    assert.ok(inventoryImporter.detect({ vendor: 'a', provider_type: 'b' }));
    assert.ok(!inventoryImporter.detect({ vendor: 'a' }));
  });
});
