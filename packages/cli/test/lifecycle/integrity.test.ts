import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RegistryClient } from '@plugboard/client';
import { sha256Digest } from '@plugboard/installer';
import {
  clientWorkspace,
  pluginPackage,
  startRegistryServer,
  writePackage,
  type TestRegistryServer,
} from './plugboard-workspace.js';

let registry: TestRegistryServer;

before(async () => {
  registry = await startRegistryServer();
});
after(async () => {
  await registry.close();
});

/** The blob file the server's filesystem blob store keeps a digest in. */
function blobPath(digest: string): string {
  const hex = digest.slice('sha256:'.length);
  return join(registry.dataDir, 'blobs', 'sha256', hex.slice(0, 2), hex);
}

test('an artifact altered on the server is refused (exit 7) and nothing is installed', async () => {
  const client = clientWorkspace(registry.origin, registry.adminToken);
  try {
    const bytes = pluginPackage('altered', '1.0.0', { flavour: 'genuine' });
    writePackage(client, 'altered.tgz', bytes);
    assert.equal((await client.run(['publish', 'altered.tgz'])).code, 0);
    const path = blobPath(sha256Digest(bytes));
    assert.ok(existsSync(path), 'the server keeps the package under its digest');
    // Same length, different bytes: a tampered disk or a compromised mirror.
    const tampered = Buffer.from(bytes);
    tampered[tampered.length - 20] = (tampered[tampered.length - 20] ?? 0) ^ 0xff;
    writeFileSync(path, tampered);

    const result = await client.run(['install', 'altered']);
    assert.equal(result.code, 7, result.stderr);
    assert.match(result.stderr, /DIGEST_MISMATCH/);
    assert.match(result.stderr, /nothing was installed/);
    assert.equal(existsSync(join(client.home, 'plugins', 'altered')), false);
    assert.equal(existsSync(join(client.home, 'plugins', 'plugboard.lock')), false);
  } finally {
    client.remove();
  }
});

test('with require_signatures: unsigned and wrongly signed artifacts are refused (exit 7), a signed one installs', async () => {
  const publisher = clientWorkspace(registry.origin, registry.adminToken);
  try {
    let result = await publisher.run(['keys', 'generate', '--id', 'release-2026', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const release = JSON.parse(result.stdout) as {
      key_id: string;
      public_key: string;
      private_key_file: string;
    };
    assert.equal((await publisher.run(['keys', 'generate', '--id', 'release-2026'])).code, 5);
    result = await publisher.run(['keys', 'generate', '--id', 'stranger', '--json']);
    const stranger = JSON.parse(result.stdout) as { key_id: string };

    writePackage(publisher, 'unsigned.tgz', pluginPackage('sig-unsigned', '1.0.0'));
    writePackage(publisher, 'stranger.tgz', pluginPackage('sig-stranger', '1.0.0'));
    writePackage(publisher, 'signed.tgz', pluginPackage('sig-signed', '1.0.0'));
    const forgedBytes = pluginPackage('sig-forged', '1.0.0');
    assert.equal((await publisher.run(['publish', 'unsigned.tgz'])).code, 0);
    assert.equal(
      (await publisher.run(['publish', 'stranger.tgz', '--sign', stranger.key_id])).code,
      0,
    );
    result = await publisher.run(['publish', 'signed.tgz', '--sign', 'release-2026']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /signed by release-2026/);
    // A signature claiming the trusted key id, but not made with it.
    await new RegistryClient({
      url: `${registry.origin}/api/v1`,
      token: registry.adminToken,
    }).publish(forgedBytes, {
      signatures: [{ key_id: 'release-2026', signature: Buffer.alloc(64, 7).toString('base64') }],
    });

    const installer = clientWorkspace(
      registry.origin,
      registry.adminToken,
      `trust:\n  require_signatures: true\n  keys:\n    - id: ${release.key_id}\n      public_key: "${release.public_key}"\n`,
    );
    try {
      result = await installer.run(['install', 'sig-unsigned']);
      assert.equal(result.code, 7, result.stderr);
      assert.match(result.stderr, /SIGNATURE_INVALID.*not signed/);
      result = await installer.run(['install', 'sig-stranger']);
      assert.equal(result.code, 7, result.stderr);
      assert.match(result.stderr, /not in trust\.keys/);
      result = await installer.run(['install', 'sig-forged']);
      assert.equal(result.code, 7, result.stderr);
      assert.match(result.stderr, /does not verify/);
      assert.equal(existsSync(join(installer.home, 'plugins', 'sig-forged')), false);

      result = await installer.run(['install', 'sig-signed', '--json']);
      assert.equal(result.code, 0, result.stderr);
      const [outcome] = (JSON.parse(result.stdout) as { plugins: { signing_key_id: string }[] })
        .plugins;
      assert.equal(outcome?.signing_key_id, 'release-2026');
      const lock = readFileSync(join(installer.home, 'plugins', 'plugboard.lock'), 'utf8');
      assert.match(lock, /"signing_key_id": "release-2026"/);
      result = await installer.run(['validate', 'sig-signed']);
      assert.equal(result.code, 0, result.stdout);
      assert.match(result.stdout, /signed by trusted key "release-2026"/);
    } finally {
      installer.remove();
    }
  } finally {
    publisher.remove();
  }
});
