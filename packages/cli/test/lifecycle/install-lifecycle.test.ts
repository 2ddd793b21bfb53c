import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { treeDigest } from '@plugboard/installer';
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

test('publish → install → update → remove round trip against a real server', async () => {
  const client = clientWorkspace(registry.origin, registry.adminToken);
  try {
    writePackage(client, 'rt-1.0.0.tgz', pluginPackage('round-trip', '1.0.0'));
    writePackage(client, 'rt-1.1.0.tgz', pluginPackage('round-trip', '1.1.0'));
    let result = await client.run(['publish', 'rt-1.0.0.tgz']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /published round-trip@1\.0\.0 to registry "local"/);

    result = await client.run(['install', 'round-trip@^1']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /installed round-trip@1\.0\.0/);
    const root = join(client.home, 'plugins');
    assert.ok(existsSync(join(root, 'round-trip', '1.0.0', 'bin', 'run')));

    result = await client.run(['list', '--json']);
    const listed = JSON.parse(result.stdout) as {
      plugins: { name: string; version: string; state: string; source: string }[];
    };
    assert.deepEqual(
      listed.plugins.map((p) => [p.name, p.version, p.state, p.source]),
      [['round-trip', '1.0.0', 'enabled', 'local:round-trip@1.0.0']],
    );

    assert.equal((await client.run(['publish', 'rt-1.1.0.tgz'])).code, 0);
    result = await client.run(['list', '--outdated']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /round-trip\s+1\.0\.0\s+1\.1\.0\s+1\.1\.0\s+local/);

    result = await client.run(['update']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /updated round-trip 1\.0\.0 → 1\.1\.0/);
    assert.deepEqual(readdirSync(join(root, 'round-trip')), ['1.1.0']);
    result = await client.run(['update', 'round-trip']);
    assert.match(result.stdout, /round-trip@1\.1\.0 is already installed/);

    result = await client.run(['remove', 'round-trip', '--clean']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(existsSync(join(root, 'round-trip')), false);
    const lock = JSON.parse(readFileSync(join(root, 'plugboard.lock'), 'utf8')) as {
      plugins: unknown[];
    };
    assert.deepEqual(lock.plugins, []);
    result = await client.run(['remove', 'round-trip']);
    assert.equal(result.code, 4);
    assert.match(result.stderr, /PLUGIN_NOT_FOUND.*plugboard list/);
  } finally {
    client.remove();
  }
});

test('install with no arguments on another machine reproduces the same bytes from plugboard.lock', async () => {
  const first = clientWorkspace(registry.origin, registry.adminToken);
  const second = clientWorkspace(registry.origin, registry.adminToken);
  try {
    writePackage(first, 'repro.tgz', pluginPackage('repro', '2.0.0', { flavour: 'repro' }));
    assert.equal((await first.run(['publish', 'repro.tgz'])).code, 0);
    assert.equal((await first.run(['install', 'repro'])).code, 0);
    const lockText = readFileSync(join(first.home, 'plugins', 'plugboard.lock'), 'utf8');
    // A newer version appears; the lock still pins 2.0.0.
    writePackage(first, 'repro3.tgz', pluginPackage('repro', '3.0.0'));
    assert.equal((await first.run(['publish', 'repro3.tgz'])).code, 0);

    second.writeConfig(
      `registries:\n  - name: local\n    url: ${registry.origin}\n    auth: {type: api_key, api_key: "\${PLUGBOARD_TEST_TOKEN}"}\nlock_file: ./plugboard.lock\n`,
    );
    writeFileSync(join(second.home, 'plugboard.lock'), lockText);
    const result = await second.run(['install', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const installed = JSON.parse(result.stdout) as {
      plugins: { version: string; status: string }[];
    };
    assert.deepEqual(
      installed.plugins.map((p) => [p.version, p.status]),
      [['2.0.0', 'installed']],
    );
    assert.equal(
      await treeDigest(join(second.home, 'plugins', 'repro', '2.0.0')),
      await treeDigest(join(first.home, 'plugins', 'repro', '2.0.0')),
    );
    assert.equal(readFileSync(join(second.home, 'plugboard.lock'), 'utf8'), lockText);
  } finally {
    first.remove();
    second.remove();
  }
});

test('show, search, disable/enable, validate <name> with the capabilities handshake, yank and deprecate', async () => {
  const client = clientWorkspace(registry.origin, registry.adminToken);
  try {
    writePackage(client, 'tour.tgz', pluginPackage('tour-plugin', '1.0.0'));
    writePackage(client, 'tour2.tgz', pluginPackage('tour-plugin', '1.1.0'));
    await client.run(['publish', 'tour.tgz']);
    await client.run(['publish', 'tour2.tgz']);

    let result = await client.run(['search', 'tour']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /tour-plugin\s+1\.1\.0\s+local/);

    result = await client.run(['yank', 'tour-plugin@1.1.0', '--reason', 'broken build']);
    assert.equal(result.code, 0, result.stderr);
    result = await client.run(['deprecate', 'tour-plugin@1.0.0', '--message', 'use 2.x']);
    assert.equal(result.code, 0, result.stderr);
    result = await client.run(['show', 'tour-plugin@^1']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /1\.1\.0 {2}\(yanked: broken build\)/);
    assert.match(result.stdout, /tour-plugin@\^1 resolves to 1\.0\.0/);
    assert.match(result.stdout, /warning: .*use 2\.x/);

    result = await client.run(['install', 'tour-plugin']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /installed tour-plugin@1\.0\.0/);
    assert.match(result.stderr, /use 2\.x/);

    result = await client.run(['validate', 'tour-plugin']);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /ok {4}handshake: "capabilities" answered plugboard\/1 with echo/);

    result = await client.run(['disable', 'tour-plugin']);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(join(client.home, 'plugins', '.disabled', 'tour-plugin', '1.0.0')));
    result = await client.run(['list']);
    assert.match(result.stdout, /tour-plugin\s+1\.0\.0\s+disabled/);
    assert.equal((await client.run(['enable', 'tour-plugin'])).code, 0);
    assert.ok(existsSync(join(client.home, 'plugins', 'tour-plugin', '1.0.0')));

    // A file changed after install: validate fails with the integrity exit code.
    writeFileSync(
      join(client.home, 'plugins', 'tour-plugin', '1.0.0', 'bin', 'run'),
      '#!/bin/sh\nexit 1\n',
    );
    result = await client.run(['validate', 'tour-plugin', '--json']);
    assert.equal(result.code, 7);
    const [report] = JSON.parse(result.stdout) as { checks: { check: string; ok: boolean }[] }[];
    assert.equal(report?.checks.find((c) => c.check === 'files')?.ok, false);
    assert.equal(report?.checks.find((c) => c.check === 'handshake')?.ok, false);

    result = await client.run(['yank', 'tour-plugin@1.1.0', '--undo']);
    assert.equal(result.code, 0, result.stderr);
  } finally {
    client.remove();
  }
});

test('reads: --json everywhere, unknown plugins exit 4 with what to do, writes without a token exit 6', async () => {
  const client = clientWorkspace(registry.origin, registry.adminToken);
  const anonymous = clientWorkspace(registry.origin, undefined);
  try {
    anonymous.writeConfig(`registries:\n  - name: local\n    url: ${registry.origin}\n`);
    let result = await client.run(['show', 'no-such-plugin', '--json']);
    assert.equal(result.code, 4);
    assert.equal(
      (JSON.parse(result.stdout) as { error: { code: string } }).error.code,
      'PLUGIN_NOT_FOUND',
    );
    result = await client.run(['install', 'no-such-plugin']);
    assert.equal(result.code, 4);
    assert.match(result.stderr, /plugboard search no-such-plugin/);

    writePackage(anonymous, 'anon.tgz', pluginPackage('anon', '1.0.0'));
    result = await anonymous.run(['publish', 'anon.tgz']);
    assert.equal(result.code, 6, result.stderr);
    assert.match(result.stderr, /plugboard login local/);

    result = await anonymous.run(['login', 'local', '--token', registry.adminToken]);
    assert.equal(result.code, 0, result.stderr);
    const credentials = join(anonymous.home, 'credentials.json');
    assert.equal(statSync(credentials).mode & 0o777, 0o600);
    result = await anonymous.run(['publish', 'anon.tgz', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as { version: string }).version, '1.0.0');
    result = await anonymous.run(['login', 'local', '--token', 'pb_wrong']);
    assert.equal(result.code, 6);
  } finally {
    client.remove();
    anonymous.remove();
  }
});
