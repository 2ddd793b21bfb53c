import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { hostname, release } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runCli } from '@plugboard/cli';
import { makeTempDir } from '@plugboard/test-support';
import {
  clientWorkspace,
  startRegistryServer,
  type CliRun,
  type ClientWorkspace,
  type TestRegistryServer,
} from './lifecycle/plugboard-workspace.js';

/** The repository's `examples/providers/pack.mjs`, from `dist/test/`. */
const PACK_SCRIPT = fileURLToPath(
  new URL('../../../../examples/providers/pack.mjs', import.meta.url),
);

/** A secret only `--set-env` hands over; finding it in any output is a leak. */
const SECRET = 'provider-commands-secret-value';

/** Packs an example provider with a real `node pack.mjs` and uploads it as an admin. */
async function uploadExample(registry: TestRegistryServer, example: string): Promise<void> {
  const dir = makeTempDir('plugboard-cli-pack-');
  try {
    const out = join(dir.path, `${example}.tar.gz`);
    await promisify(execFile)(process.execPath, [PACK_SCRIPT, example, out]);
    const form = new FormData();
    form.set('plugin', new Blob([await readFile(out)], { type: 'application/gzip' }), out);
    const response = await fetch(`${registry.origin}/api/v1/provider-plugins/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${registry.adminToken}` },
      body: form,
    });
    assert.equal(response.status, 201, await response.text());
  } finally {
    dir.remove();
  }
}

describe('plugboard provider, collect and resources against a real server', () => {
  let registry: TestRegistryServer;
  let flags: string[];
  const runs: CliRun[] = [];

  /** The CLI in this process with `--registry URL --token T`; every run is kept for leak checks. */
  async function cli(argv: readonly string[], tty = false): Promise<CliRun> {
    let stdout = '';
    let stderr = '';
    const code = await runCli([...argv, ...flags], {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      cwd: process.cwd(),
      env: { PROVIDER_TEST_SECRET: SECRET },
      stderrIsTTY: tty,
    });
    const result = { code, stdout, stderr };
    runs.push(result);
    return result;
  }

  before(async () => {
    registry = await startRegistryServer();
    flags = ['--registry', registry.origin, '--token', registry.adminToken];
    await uploadExample(registry, 'linux-host');
  });
  after(async () => {
    await registry.close();
  });

  it('creates, lists and shows providers, masking secret parameters', async () => {
    const created = await cli(['provider', 'create', 'this machine', '--plugin', 'linux:host']);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^created provider this machine \(\S+\)\n$/);

    const secretive = await cli([
      'provider',
      'create',
      'db',
      '--plugin',
      'postgresql:server',
      '--set',
      'port=5433',
      '--set',
      'user=postgres',
      '--set-env',
      'password=PROVIDER_TEST_SECRET',
      '--json',
    ]);
    assert.equal(secretive.code, 0, secretive.stderr);
    const body = JSON.parse(secretive.stdout) as { connection_config: Record<string, unknown> };
    assert.deepEqual(body.connection_config, {
      port: 5433,
      user: 'postgres',
      password: '********',
    });
    assert.match(secretive.stderr, /warning: /, 'the server warns that no plugin is installed');

    const list = await cli(['provider', 'list']);
    assert.equal(list.code, 0, list.stderr);
    const lines = list.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^ID\s+NAME\s+PLUGIN\s+ENDPOINT\s+ENABLED\s+INSTALLED$/);
    assert.deepEqual(
      lines.slice(1).map((line) => line.split(/\s{2,}/).slice(1)),
      [
        ['db', 'postgresql:server', 'yes', 'no'],
        ['this machine', 'linux:host', 'yes', 'yes'],
      ],
    );

    const show = await cli(['provider', 'show', 'db']);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /^plugin: +postgresql:server$/m);
    assert.match(show.stdout, /^ {2}password: \*{8}$/m);
    assert.match(show.stdout, /^installed: +no/m);
  });

  it('collect --wait runs the linux-host plugin to completion and resources lists what it found', async () => {
    const collected = await cli(['collect', 'this machine', '--wait']);
    assert.equal(collected.code, 0, collected.stderr);
    const counts = /^run \S+ completed: found (\d+), created (\d+),/.exec(collected.stdout);
    assert.ok(counts !== null, collected.stdout);
    assert.ok(Number(counts[1]) >= 2 && counts[1] === counts[2], collected.stdout);
    assert.equal(collected.stderr, '', 'no progress drawn when stderr is not a terminal');

    const hosts = await cli([
      'resources',
      '-p',
      'provider=this machine',
      '-p',
      'type=host',
      '-c',
      'name,properties.kernel',
    ]);
    assert.equal(hosts.code, 0, hosts.stderr);
    assert.deepEqual(hosts.stdout.split('\n').slice(0, 3), [
      `NAME${' '.repeat(Math.max(hostname().length, 4) - 4)}  PROPERTIES.KERNEL`,
      `${hostname().padEnd(4)}  ${release()}`,
      '1–1 of 1',
    ]);

    const mounts = await cli(['resources', '-p', 'type=mount', '--json']);
    assert.equal(mounts.code, 0, mounts.stderr);
    const answer = JSON.parse(mounts.stdout) as {
      resources: { name: string; parent_ems_ref: string }[];
    };
    assert.ok(
      answer.resources.some((mount) => mount.name === '/'),
      mounts.stdout,
    );
    assert.ok(answer.resources.every((mount) => mount.parent_ems_ref === `host:${hostname()}`));
  });

  it('collect --wait on a terminal clears its progress line and prints the summary', async () => {
    const collected = await cli(['collect', 'this machine', '--wait', '--type', 'host'], true);
    assert.equal(collected.code, 0, collected.stderr);
    assert.match(
      collected.stdout,
      /^run \S+ completed: found 1, created 0, updated \d, unchanged \d/,
    );
    assert.ok(collected.stderr.endsWith('\r\x1b[K'), JSON.stringify(collected.stderr));
  });

  it('collect --wait exits with the run error when the plugin is missing', async () => {
    const created = await cli(['provider', 'create', 'orphan', '--plugin', 'nobody:nothing']);
    assert.equal(created.code, 0, created.stderr);
    const collected = await cli(['collect', 'orphan', '--wait']);
    assert.equal(collected.code, 4, collected.stderr);
    assert.match(collected.stdout, /^run \S+ failed: found 0/);
    assert.match(collected.stderr, /PLUGIN_NOT_FOUND|run \S+ failed/);
  });

  it('resources -p include_deleted takes true or false', async () => {
    const withDeleted = await cli(['resources', '-p', 'include_deleted=true', '--json']);
    assert.equal(withDeleted.code, 0, withDeleted.stderr);
    assert.ok(Array.isArray((JSON.parse(withDeleted.stdout) as { resources: unknown }).resources));
    const wrong = await cli(['resources', '-p', 'include_deleted=yes']);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /include_deleted takes true or false, not "yes"/);
  });

  it('deletes a provider by name; unknown names are NOT_FOUND (exit 4)', async () => {
    const deleted = await cli(['provider', 'delete', 'db']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, /^deleted provider db /);
    const gone = await cli(['provider', 'show', 'db']);
    assert.equal(gone.code, 4);
    assert.match(gone.stderr, /no provider with the id or name "db"/);
    const usage = await cli(['provider', 'rename', 'x']);
    assert.equal(usage.code, 2);
  });

  it('uses the client config when --registry is not given', async () => {
    const workspace: ClientWorkspace = clientWorkspace(registry.origin, registry.adminToken);
    try {
      const list = await workspace.run(['provider', 'list']);
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, /this machine\s+linux:host/);
    } finally {
      workspace.remove();
    }
  });

  it('a registry with auth type api_key in the client config reaches the provider API', async () => {
    const workspace: ClientWorkspace = clientWorkspace(registry.origin, registry.adminToken);
    try {
      workspace.writeConfig(
        `registries:\n  - name: keyed\n    url: ${registry.origin}\n    auth:\n      type: api_key\n      api_key: \${PLUGBOARD_TEST_TOKEN}\n`,
      );
      const list = await workspace.run(['provider', 'list', '--registry', 'keyed']);
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, /this machine\s+linux:host/);
    } finally {
      workspace.remove();
    }
  });

  it('never prints the secret', () => {
    for (const run of runs) {
      assert.ok(!run.stdout.includes(SECRET) && !run.stderr.includes(SECRET));
    }
  });
});
