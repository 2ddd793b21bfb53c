import assert from 'node:assert/strict';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isPlugboardError } from '@plugboard/core';
import { makeTempDir } from '@plugboard/test-support';
import {
  Installer,
  generateSigningKey,
  parsePrivateKey,
  parsePublicKey,
  readLockFile,
  sha256Digest,
  signDigest,
  treeDigest,
} from '../../src/index.js';
import { pluginPackage } from '../helpers/plugin-package.js';

function setup() {
  const dir = makeTempDir('plugboard-installer-');
  const root = join(dir.path, 'plugins');
  const write = (name: string, bytes: Buffer) => {
    const path = join(dir.path, name);
    writeFileSync(path, bytes);
    return path;
  };
  return { dir, root, write, installer: new Installer({ installRoot: root, cwd: dir.path }) };
}

test('install from a package file, then the same again (unchanged), then a new version replaces it', async () => {
  const { dir, root, write, installer } = setup();
  try {
    const v1 = write('echo-1.0.0.tgz', pluginPackage({ version: '1.0.0' }));
    const [first] = await installer.install(['./echo-1.0.0.tgz']);
    assert.equal(first?.status, 'installed');
    assert.equal(first?.path, join(root, 'echo', '1.0.0'));
    assert.equal(first?.digest, sha256Digest(readFileSync(v1)));
    assert.ok(existsSync(join(root, 'echo', '1.0.0', 'bin', 'run')));

    const [again] = await installer.install([`file://${v1}`]);
    assert.equal(again?.status, 'unchanged');

    write('echo-1.1.0.tgz', pluginPackage({ version: '1.1.0' }));
    const [second] = await installer.install(['./echo-1.1.0.tgz']);
    assert.equal(second?.status, 'updated');
    assert.equal(second?.previous, '1.0.0');
    assert.deepEqual(readdirSync(join(root, 'echo')), ['1.1.0']);
    const lock = await readLockFile(join(root, 'plugboard.lock'));
    assert.equal(lock.plugins.length, 1);
    assert.equal(lock.plugins[0]?.version, '1.1.0');
    // A relative path is recorded as the absolute file URL, so the lock works from anywhere.
    assert.equal(lock.plugins[0]?.requested, `file://${join(dir.path, 'echo-1.1.0.tgz')}`);
    assert.equal(readdirSync(join(root, '.plugboard', 'staging')).length, 0);
  } finally {
    dir.remove();
  }
});

test('a plugin folder installs through a deterministic package: the same folder gives the same digest', async () => {
  const { dir, root, installer } = setup();
  try {
    const folder = join(dir.path, 'src-plugin');
    mkdirSync(join(folder, 'bin'), { recursive: true });
    writeFileSync(
      join(folder, 'manifest.json'),
      JSON.stringify({
        name: 'folder-plugin',
        version: '0.1.0',
        runtime: { type: 'executable', entrypoint: 'bin/run' },
      }),
    );
    writeFileSync(join(folder, 'bin', 'run'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(folder, 'bin', 'run'), 0o755);
    const [first] = await installer.install(['./src-plugin']);
    const again = await installer.resolve('./src-plugin');
    const reopened = await again.open();
    const chunks: Buffer[] = [];
    for await (const chunk of reopened.body) chunks.push(Buffer.from(chunk));
    assert.equal(sha256Digest(Buffer.concat(chunks)), first?.digest);
    assert.ok(existsSync(join(root, 'folder-plugin', '0.1.0', 'bin', 'run')));
  } finally {
    dir.remove();
  }
});

test('install with no arguments reproduces the same bytes from the lock, and refuses a changed package', async () => {
  const { dir, root, write, installer } = setup();
  try {
    write('echo.tgz', pluginPackage({ version: '1.0.0', flavour: 'original' }));
    await installer.install(['./echo.tgz']);
    const tree = await treeDigest(join(root, 'echo', '1.0.0'));

    const otherRoot = join(dir.path, 'other-root');
    mkdirSync(otherRoot);
    cpSync(join(root, 'plugboard.lock'), join(otherRoot, 'plugboard.lock'));
    const fresh = new Installer({ installRoot: otherRoot, cwd: dir.path });
    const [restored] = await fresh.installFromLock();
    assert.equal(restored?.status, 'installed');
    assert.equal(await treeDigest(join(otherRoot, 'echo', '1.0.0')), tree);
    assert.equal(
      readFileSync(join(otherRoot, 'plugboard.lock'), 'utf8'),
      readFileSync(join(root, 'plugboard.lock'), 'utf8'),
    );

    // The package at the locked source changes: a third root refuses it.
    write('echo.tgz', pluginPackage({ version: '1.0.0', flavour: 'tampered' }));
    const third = join(dir.path, 'third-root');
    mkdirSync(third);
    cpSync(join(root, 'plugboard.lock'), join(third, 'plugboard.lock'));
    await assert.rejects(
      new Installer({ installRoot: third }).installFromLock(),
      (error: unknown) => isPlugboardError(error, 'DIGEST_MISMATCH'),
    );
    assert.deepEqual(readdirSync(third).sort(), ['.plugboard', 'plugboard.lock']);
  } finally {
    dir.remove();
  }
});

test('same version with other content is refused without --force and replaced with it', async () => {
  const { dir, root, write, installer } = setup();
  try {
    write('a.tgz', pluginPackage({ flavour: 'a' }));
    write('b.tgz', pluginPackage({ flavour: 'b' }));
    await installer.install(['./a.tgz']);
    await assert.rejects(installer.install(['./b.tgz']), (error: unknown) =>
      isPlugboardError(error, 'CONFLICT'),
    );
    assert.match(readFileSync(join(root, 'echo', '1.0.0', 'bin', 'run'), 'utf8'), /# a/);
    const [forced] = await installer.install(['./b.tgz'], { force: true });
    assert.equal(forced?.status, 'updated');
    assert.match(readFileSync(join(root, 'echo', '1.0.0', 'bin', 'run'), 'utf8'), /# b/);
  } finally {
    dir.remove();
  }
});

test('--no-save leaves the lock file alone; remove drops the folder and the lock entry', async () => {
  const { dir, root, write, installer } = setup();
  try {
    write('echo.tgz', pluginPackage());
    write('other.tgz', pluginPackage({ name: 'other' }));
    await installer.install(['./other.tgz'], { save: false });
    assert.equal(existsSync(join(root, 'plugboard.lock')), false);
    await installer.install(['./echo.tgz']);
    const removed = await installer.remove('echo');
    assert.deepEqual(removed.removed, ['1.0.0']);
    assert.equal(removed.lockUpdated, true);
    assert.equal(existsSync(join(root, 'echo')), false);
    assert.deepEqual((await readLockFile(join(root, 'plugboard.lock'))).plugins, []);
    await assert.rejects(installer.remove('echo'), (error: unknown) =>
      isPlugboardError(error, 'PLUGIN_NOT_FOUND'),
    );
  } finally {
    dir.remove();
  }
});

test("disable moves a plugin out of the host's sight and enable brings it back", async () => {
  const { dir, root, write, installer } = setup();
  try {
    write('echo.tgz', pluginPackage());
    await installer.install(['./echo.tgz']);
    assert.equal(await installer.setEnabled('echo', false), true);
    assert.equal(existsSync(join(root, 'echo')), false);
    assert.ok(existsSync(join(root, '.disabled', 'echo', '1.0.0', 'manifest.json')));
    assert.equal(await installer.setEnabled('echo', false), false);
    // A new version of a disabled plugin stays disabled.
    write('echo2.tgz', pluginPackage({ version: '2.0.0' }));
    await installer.install(['./echo2.tgz']);
    assert.ok(existsSync(join(root, '.disabled', 'echo', '2.0.0')));
    assert.equal(await installer.setEnabled('echo', true), true);
    assert.deepEqual(readdirSync(join(root, 'echo')), ['2.0.0']);
    const listed = await installer.list();
    assert.deepEqual(
      listed.map((p) => [p.name, p.version, p.enabled, p.locked?.version]),
      [['echo', '2.0.0', true, '2.0.0']],
    );
  } finally {
    dir.remove();
  }
});

test('verify notices a changed file and a lock that pins another digest', async () => {
  const { dir, root, write, installer } = setup();
  try {
    write('echo.tgz', pluginPackage());
    await installer.install(['./echo.tgz']);
    let [report] = await installer.verify('echo');
    assert.equal(report?.ok, true, JSON.stringify(report?.checks));
    writeFileSync(join(root, 'echo', '1.0.0', 'data', 'readme.txt'), 'changed');
    [report] = await installer.verify('echo');
    assert.equal(report?.checks.find((c) => c.check === 'files')?.ok, false);
    const lockPath = join(root, 'plugboard.lock');
    writeFileSync(
      lockPath,
      readFileSync(lockPath, 'utf8').replace(
        /"sha256": "[0-9a-f]+"/,
        `"sha256": "${'0'.repeat(64)}"`,
      ),
    );
    [report] = await installer.verify('echo');
    assert.equal(report?.checks.find((c) => c.check === 'lock')?.ok, false);
  } finally {
    dir.remove();
  }
});

test('signatures: a trusted signature verifies and is locked; a wrong or missing one is refused when required', async () => {
  const { dir, root, write } = setup();
  try {
    const key = generateSigningKey('release');
    const trust = {
      keys: [{ keyId: 'release', key: parsePublicKey(key.publicKey, 'test key') }],
      requireSignatures: true,
    };
    const bytes = pluginPackage();
    const path = write('echo.tgz', bytes);
    const signed = signDigest(
      sha256Digest(bytes),
      parsePrivateKey(key.privateKeyPem, 'test key'),
      'release',
    );

    const installer = new Installer({ installRoot: root, cwd: dir.path, trust });
    await assert.rejects(
      installer.install(['./echo.tgz']),
      (error: unknown) =>
        isPlugboardError(error, 'SIGNATURE_INVALID') && /not signed/.test(error.message),
    );
    writeFileSync(
      `${path}.sig`,
      JSON.stringify({ ...signed, signature: Buffer.alloc(64, 1).toString('base64') }),
    );
    await assert.rejects(
      installer.install(['./echo.tgz']),
      (error: unknown) =>
        isPlugboardError(error, 'SIGNATURE_INVALID') && /does not verify/.test(error.message),
    );
    const stranger = generateSigningKey('stranger');
    writeFileSync(
      `${path}.sig`,
      JSON.stringify(
        signDigest(sha256Digest(bytes), parsePrivateKey(stranger.privateKeyPem, 'k'), 'stranger'),
      ),
    );
    await assert.rejects(
      installer.install(['./echo.tgz']),
      (error: unknown) =>
        isPlugboardError(error, 'SIGNATURE_INVALID') && /not in trust.keys/.test(error.message),
    );
    assert.equal(existsSync(join(root, 'echo')), false);

    writeFileSync(`${path}.sig`, JSON.stringify([signed]));
    const [outcome] = await installer.install(['./echo.tgz']);
    assert.equal(outcome?.signingKeyId, 'release');
    assert.equal(
      (await readLockFile(join(root, 'plugboard.lock'))).plugins[0]?.signing_key_id,
      'release',
    );
  } finally {
    dir.remove();
  }
});
