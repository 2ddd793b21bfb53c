import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isPlugboardError } from '@plugboard/core';
import { makeTempDir, skipUnlessAvailable } from '@plugboard/test-support';
import {
  Installer,
  generateSigningKey,
  parsePrivateKey,
  parsePublicKey,
  readLockFile,
  sha256Digest,
  signDigest,
} from '../../src/index.js';
import {
  dockerRegistryAvailable,
  pushPluginArtifact,
  startOciRegistry,
  type TestOciRegistry,
} from '../helpers/oci-registry.js';
import { pluginPackage } from '../helpers/plugin-package.js';

const skip = skipUnlessAvailable(
  'docker-registry',
  dockerRegistryAvailable(),
  'apt-get install docker-registry',
);
let registry: TestOciRegistry | undefined;

before(async () => {
  if (skip === false) registry = await startOciRegistry();
});
after(async () => {
  await registry?.stop();
});

test(
  'oci: pulls the plugin layer by tag through the distribution API, pins the manifest digest, verifies signatures',
  { skip },
  async () => {
    const host = registry?.host ?? '';
    const dir = makeTempDir();
    try {
      const key = generateSigningKey('release');
      const bytes = pluginPackage({ name: 'oci-plugin', version: '3.1.0' });
      const signature = signDigest(
        sha256Digest(bytes),
        parsePrivateKey(key.privateKeyPem, 'k'),
        'release',
      );
      const manifestDigest = await pushPluginArtifact(host, 'plugins/oci-plugin', '3.1.0', bytes, [
        signature,
      ]);
      const root = join(dir.path, 'root');
      const installer = new Installer({
        installRoot: root,
        trust: {
          keys: [{ keyId: 'release', key: parsePublicKey(key.publicKey, 'k') }],
          requireSignatures: true,
        },
      });
      const [outcome] = await installer.install([`oci://${host}/plugins/oci-plugin:3.1.0`]);
      assert.equal(outcome?.name, 'oci-plugin');
      assert.equal(outcome?.digest, sha256Digest(bytes));
      assert.equal(outcome?.signingKeyId, 'release');
      assert.equal(outcome?.source, `oci://${host}/plugins/oci-plugin@${manifestDigest}`);
      assert.ok(
        readFileSync(join(root, 'oci-plugin', '3.1.0', 'manifest.json'), 'utf8').includes(
          'oci-plugin',
        ),
      );

      // The same artifact by digest reinstalls nothing; the lock pins the digest form.
      const [again] = await installer.install([
        `oci://${host}/plugins/oci-plugin@${manifestDigest}`,
      ]);
      assert.equal(again?.status, 'unchanged');
      assert.equal(
        (await readLockFile(join(root, 'plugboard.lock'))).plugins[0]?.source,
        outcome?.source,
      );
    } finally {
      dir.remove();
    }
  },
);

test(
  'oci: an unsigned artifact is refused when signatures are required; a wrong manifest digest is refused',
  { skip },
  async () => {
    const host = registry?.host ?? '';
    const dir = makeTempDir();
    try {
      const bytes = pluginPackage({ name: 'unsigned', version: '1.0.0' });
      await pushPluginArtifact(host, 'plugins/unsigned', 'v1', bytes);
      const key = generateSigningKey('release');
      const strict = new Installer({
        installRoot: join(dir.path, 'root'),
        trust: {
          keys: [{ keyId: 'release', key: parsePublicKey(key.publicKey, 'k') }],
          requireSignatures: true,
        },
      });
      await assert.rejects(
        strict.install([`oci://${host}/plugins/unsigned:v1`]),
        (error: unknown) => isPlugboardError(error, 'SIGNATURE_INVALID'),
      );
      const lax = new Installer({ installRoot: join(dir.path, 'root') });
      await assert.rejects(
        lax.install([`oci://${host}/plugins/unsigned@sha256:${'0'.repeat(64)}`]),
        (error: unknown) =>
          isPlugboardError(error) && ['NOT_FOUND', 'DIGEST_MISMATCH'].includes(error.code),
      );
      await assert.rejects(lax.install([`oci://${host}/plugins/missing:1.0.0`]), (error: unknown) =>
        isPlugboardError(error, 'NOT_FOUND'),
      );
    } finally {
      dir.remove();
    }
  },
);
