import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  importManifest,
  importManifestText,
  ocmImporter,
  OCM_FALLBACK_PLUGIN_NAME,
} from '@plugboard/core';
import { expectProblemsAt } from './expect-problem.js';
import { extraField } from './extra-field.js';
import { readFixture } from './fixture-files.js';

const OCI_SCHEMA = {
  type: 'object',
  required: ['baseUrl'],
  properties: { baseUrl: { type: 'string' } },
};

function base64(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

function capabilitiesWith(jsonSchema: unknown): Record<string, unknown> {
  return {
    name: 'ocm-oci-plugin',
    capabilities: [
      {
        type: 'componentVersionRepository',
        supportedRepositorySpecTypes: [{ type: 'OCIRepository/v1', aliases: ['oci'], jsonSchema }],
      },
    ],
  };
}

describe('ocm importer', () => {
  it('imports the seed 001 capabilities output: one capability per supported type, base64 schemas', () => {
    const { format, manifest, warnings } = importManifestText(
      readFixture('seed-001-ocm-capabilities.json'),
    );
    assert.equal(format, 'ocm');
    assert.equal(manifest.name, OCM_FALLBACK_PLUGIN_NAME);
    assert.ok(warnings.some((w) => w.includes(OCM_FALLBACK_PLUGIN_NAME)));
    const summary = (manifest.capabilities ?? []).map((c) => [
      c.type,
      c.name,
      extraField(c, 'ocm_types_key'),
    ]);
    assert.deepEqual(summary, [
      ['componentVersionRepository', 'OCIRepository/v1', 'supportedRepositorySpecTypes'],
      ['componentVersionRepository', 'CommonTransportFormat/v1', 'supportedRepositorySpecTypes'],
      ['credentialRepository', 'HashiCorpVault/v1alpha1', 'supportedConsumerIdentityTypes'],
      ['credentialRepository', 'HashiCorpVault/v1alpha1', 'supportedCredentialRepositorySpecTypes'],
    ]);
    const oci = manifest.capabilities?.[0];
    assert.deepEqual(oci?.aliases, ['OCIRepository', 'oci']);
    assert.deepEqual(oci?.schemas?.['OCIRepository/v1']?.['required'], ['type', 'baseUrl']);
    assert.equal(
      manifest.capabilities?.[2]?.schemas,
      undefined,
      'a null jsonSchema gives no schema',
    );
    assert.deepEqual(manifest.metadata?.['supportedConfigTypes'], ['OCIRepositoryPluginConfig/v1']);
  });

  it('reads jsonSchema given as base64, as JSON text and as an object alike', () => {
    for (const jsonSchema of [base64(OCI_SCHEMA), JSON.stringify(OCI_SCHEMA), OCI_SCHEMA]) {
      const { manifest } = importManifest(capabilitiesWith(jsonSchema));
      assert.equal(manifest.name, 'ocm-oci-plugin');
      assert.deepEqual(manifest.capabilities?.[0]?.schemas, { 'OCIRepository/v1': OCI_SCHEMA });
    }
  });

  it('reads UTF-8 inside base64 schemas and URL-safe base64', () => {
    const schema = { type: 'object', description: 'Größe — サイズ ✓' };
    const urlSafe = base64(schema).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const { manifest } = importManifest(capabilitiesWith(urlSafe));
    assert.deepEqual(manifest.capabilities?.[0]?.schemas?.['OCIRepository/v1'], schema);
  });

  it('falls back to a typeToJSONSchema map', () => {
    const { manifest } = importManifest({
      capabilities: [
        {
          type: 'componentVersionRepository',
          typeToJSONSchema: { 'OCIRepository/v1': base64(OCI_SCHEMA) },
          supportedRepositorySpecTypes: [
            { type: 'OCIRepository/v1', aliases: null, jsonSchema: null },
          ],
        },
      ],
    });
    assert.deepEqual(manifest.capabilities?.[0]?.schemas, { 'OCIRepository/v1': OCI_SCHEMA });
  });

  it('takes pluginName and pluginVersion, and keeps a descriptor version in metadata', () => {
    const named = importManifest({
      ...capabilitiesWith(null),
      name: undefined,
      pluginName: 'My_OCI',
      pluginVersion: '0.4.0',
    });
    assert.equal(named.manifest.name, 'my_oci');
    assert.equal(named.manifest.version, '0.4.0');
    const described = importManifest({ ...capabilitiesWith(null), version: 'v1' });
    assert.equal(described.manifest.version, undefined);
    assert.equal(described.manifest.metadata?.['version'], 'v1');
  });

  it('names the jsonSchema that decodes to nothing usable, and every other problem', () => {
    expectProblemsAt(
      () =>
        importManifest({
          capabilities: [
            {
              type: 'componentVersionRepository',
              supportedRepositorySpecTypes: [
                { type: 'A/v1', jsonSchema: 'not base64 at all!' },
                { type: 'B/v1', jsonSchema: base64([1, 2]) },
                { aliases: ['c'] },
                { type: 'D/v1', jsonSchema: 5 },
              ],
            },
            { supportedInputTypes: [] },
          ],
        }),
      'capabilities[0].supportedRepositorySpecTypes[0].jsonSchema',
      'capabilities[0].supportedRepositorySpecTypes[1].jsonSchema',
      'capabilities[0].supportedRepositorySpecTypes[2].type',
      'capabilities[0].supportedRepositorySpecTypes[3].jsonSchema',
      'capabilities[1].type',
    );
  });

  it('detects only capability lists with supported…Types entries', () => {
    assert.ok(ocmImporter.detect(capabilitiesWith(null)));
    assert.ok(!ocmImporter.detect({ name: 'x', capabilities: [{ type: 'provider' }] }));
    assert.ok(!ocmImporter.detect({ capabilities: 'supportedRepositorySpecTypes' }));
  });
});
