import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  detectManifestFormat,
  importManifest,
  importManifestText,
  isPlugboardError,
  listManifestProblems,
  parseDocument,
  type ManifestFormat,
} from '@plugboard/core';
import { expectProblemsAt } from './expect-problem.js';
import { readFixture, SEED_FIXTURES } from './fixture-files.js';

describe('manifest format detection and forcing', () => {
  for (const seed of SEED_FIXTURES) {
    it(`detects ${seed.path} as ${seed.format} and imports it valid`, () => {
      const text = readFixture(seed.path);
      assert.equal(detectManifestFormat(parseDocument(text)), seed.format);
      const imported = importManifestText(text, { source: seed.path });
      assert.equal(imported.format, seed.format);
      assert.deepEqual(listManifestProblems(imported.manifest), []);
      const forced = importManifestText(text, { format: seed.format });
      assert.deepEqual(forced.manifest, imported.manifest);
    });
  }

  it('a native manifest is still detected as native', () => {
    const { format } = importManifest({
      name: 'plain',
      version: '1.0.0',
      capabilities: ['provider'],
    });
    assert.equal(format, 'native');
  });

  it('forcing the wrong format gives MANIFEST_INVALID naming a path of the input', () => {
    const wrongFormats: Record<string, { format: ManifestFormat; path: string }> = {
      'seed-002-slack-protocol.yaml': { format: 'inventory', path: 'vendor' },
      'seed-004-vcenter-manifest.yml': { format: 'spaceone', path: 'plugin_id' },
      'seed-003-flat-manifest.json': { format: 'ocm', path: 'capabilities[0]' },
      'seed-001-ocm-capabilities.json': { format: 'pulumicost', path: 'name' },
      'seed-003-nested-manifest.json': { format: 'native', path: 'name' },
    };
    for (const [file, { format, path }] of Object.entries(wrongFormats)) {
      const error = expectProblemsAt(
        () => importManifestText(readFixture(file), { format, source: file }),
        path,
      );
      assert.match(
        error.message,
        new RegExp(`^${file.replace(/\./g, '\\.')}: `),
        'the source is named',
      );
    }
  });

  it('a document of no known shape is FORMAT_UNKNOWN; a list is MANIFEST_INVALID', () => {
    assert.throws(
      () => importManifestText('title: not a plugin'),
      (error) => isPlugboardError(error, 'FORMAT_UNKNOWN'),
    );
    assert.throws(
      () => importManifestText('- a\n- b'),
      (error) => isPlugboardError(error, 'MANIFEST_INVALID'),
    );
  });

  it('keeps a __proto__ field as a plain metadata field without touching prototypes', () => {
    const { manifest } = importManifest(
      parseDocument('{"vendor":"a","provider_type":"b","__proto__":{"polluted":1}}'),
    );
    assert.equal(manifest.name, 'a-b');
    assert.equal(Object.getPrototypeOf(manifest.metadata), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(manifest.metadata, '__proto__')?.value, {
      polluted: 1,
    });
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
});
