// Real processes through the sandbox: network, limits, environment, working directory, Node's
// permission model. Each test would fail if the corresponding wrapper piece were missing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Permissions } from '@plugboard/core';
import { makeTempDir, skipUnlessAvailable } from '@plugboard/test-support';
import {
  buildSandboxedSpawn,
  classifyExit,
  explainExit,
  probeSandboxSupport,
  sandboxedSpawner,
  type SandboxSpawnInput,
} from '../../src/sandbox/index.js';
import {
  EXE_PLUGIN_DIR,
  EXE_PROBE,
  FIXTURE_TIMEOUT_MS,
  firstJsonLine,
  NODE_PLUGIN_DIR,
  NODE_PROBE,
  runPlan,
  sandboxFixture,
} from './sandbox-fixtures.js';

const support = await probeSandboxSupport();
const skipPrlimit = skipUnlessAvailable(
  'prlimit',
  support.prlimit.available,
  'install util-linux (it provides prlimit)',
);
const skipUnshare = skipUnlessAvailable(
  'unshare (network namespaces)',
  support.networkIsolation.available,
  'run as root, or enable unprivileged user namespaces (kernel.unprivileged_userns_clone=1)',
);
const skipNodePermission = skipUnlessAvailable(
  "Node's permission model",
  support.nodePermission.available,
  'use Node >= 20 (--experimental-permission)',
);

const temp = makeTempDir('plugboard-sandbox-');
const dataDir = join(temp.path, 'data');
mkdirSync(dataDir);
after(() => temp.remove());

function nodePlan(
  mode: string[],
  permissions: Permissions = {},
  extra: Partial<SandboxSpawnInput> = {},
) {
  return buildSandboxedSpawn({
    command: process.execPath,
    args: [NODE_PROBE, ...mode],
    cwd: NODE_PLUGIN_DIR,
    dataDir,
    env: process.env,
    permissions,
    runtime: 'node',
    support,
    ...extra,
  });
}

function exePlan(mode: string[], permissions: Permissions = {}) {
  return buildSandboxedSpawn({
    command: EXE_PROBE,
    args: mode,
    cwd: EXE_PLUGIN_DIR,
    dataDir,
    env: process.env,
    permissions,
    runtime: { type: 'executable' },
    support,
  });
}

describe('network', { skip: skipUnshare, timeout: FIXTURE_TIMEOUT_MS }, () => {
  let server: Server;
  let port = 0;
  before(async () => {
    server = createServer((socket) => socket.end('hello\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(() => server.close());

  test('a Node plugin declaring no network cannot reach a TCP server on 127.0.0.1', async () => {
    const plan = nodePlan(['connect', String(port)]);
    assert.equal(plan.applied.network, 'isolated');
    const result = firstJsonLine(await runPlan(plan));
    assert.equal(result['ok'], false, 'the connection must fail');
    assert.equal(result['code'], 'ENETUNREACH');
  });

  test('a Node plugin declaring network: true reaches it', async () => {
    const plan = nodePlan(['connect', String(port)], { network: true });
    assert.equal(plan.applied.network, 'full');
    assert.deepEqual(firstJsonLine(await runPlan(plan)), { ok: true, received: 'hello\n' });
  });

  test('an executable plugin is isolated the same way, and network: true lets it through', async () => {
    const denied = await runPlan(exePlan(['connect', String(port)]));
    assert.equal(denied.stdout.trim(), 'refused');
    assert.match(denied.stderr, /Network is unreachable/);
    const allowed = await runPlan(exePlan(['connect', String(port)], { network: true }));
    assert.equal(allowed.stdout.trim(), 'connected:hello');
  });

  test('a plugin without network still serves on a unix socket in the host temp dir', async () => {
    const socketDir = join(temp.path, 'sock-isolated');
    mkdirSync(socketDir, { mode: 0o700 });
    const socketPath = join(socketDir, 'p.sock');
    // Through the spawner wrapper, with the protocol's argv: the socket folder comes from --socket.
    const plans: string[] = [];
    const spawner = sandboxedSpawner(spawn, {
      pluginDir: NODE_PLUGIN_DIR,
      dataDir,
      permissions: {},
      runtime: 'node',
      support,
      onPlan: (plan) => plans.push(plan.applied.network),
    });
    const child = spawner(process.execPath, [NODE_PROBE, 'serve', '--socket', socketPath], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout?.setEncoding('utf8').once('data', (chunk: string) => resolve(chunk));
        child.once('exit', (code, signal) =>
          reject(new Error(`plugin exited early: ${String(code)}/${String(signal)}`)),
        );
      });
      assert.deepEqual(plans, ['isolated']);
      const handshake = JSON.parse(line) as { ok: boolean; chmod: { ok: boolean } };
      assert.equal(
        handshake.chmod.ok,
        true,
        'chmod of the socket needs write access to its folder',
      );
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(socketPath);
        let text = '';
        socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      assert.equal(reply, 'pong');
    } finally {
      child.stdin?.end();
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});

describe('resource limits', { skip: skipPrlimit, timeout: FIXTURE_TIMEOUT_MS }, () => {
  test('a Node plugin over its memory limit is killed, and the exit says why', async () => {
    const plan = nodePlan(['alloc'], { memory_mb: 64 });
    assert.equal(plan.applied.heapMb, 64);
    const outcome = await runPlan(plan);
    assert.equal(outcome.signal, 'SIGABRT', `stderr: ${outcome.stderr.slice(0, 400)}`);
    assert.match(outcome.stderr, /heap limit|heap out of memory/i);
    const explanation = classifyExit(outcome.code, outcome.signal, plan.applied);
    assert.equal(explanation.kind, 'memory-limit');
    assert.match(explanation.message, /^killed: exceeded memory limit of 64 MiB/);
  });

  test('an executable over its address-space limit fails its allocation and stops', async () => {
    const plan = exePlan(['alloc'], { memory_mb: 64 });
    assert.equal(plan.applied.kernel.addressSpaceMb, 64);
    const outcome = await runPlan(plan);
    assert.notEqual(outcome.code, 0);
    assert.match(outcome.stderr, /cannot allocate/);
    assert.match(explainExit(outcome.code, outcome.signal, plan.applied), /64 MiB memory limit/);
  });

  test('a Node plugin gets enough address space to start under a small memory limit', async () => {
    // RLIMIT_AS of 64 MiB alone would stop V8 before it runs any code (it needs ~800 MiB).
    const plan = nodePlan(['cwd'], { memory_mb: 64 });
    const outcome = await runPlan(plan);
    assert.equal(outcome.code, 0, outcome.stderr);
  });

  test('the CPU-time limit stops a busy loop', async () => {
    const plan = nodePlan(['busy'], { cpu_seconds: 1 });
    const outcome = await runPlan(plan);
    assert.ok(
      outcome.signal === 'SIGXCPU' || outcome.signal === 'SIGKILL',
      `expected SIGXCPU or SIGKILL, got ${String(outcome.code)}/${String(outcome.signal)}`,
    );
    const explanation = classifyExit(outcome.code, outcome.signal, plan.applied);
    assert.equal(explanation.kind, 'cpu-limit');
    assert.match(explanation.message, /CPU-time/);
  });

  test('the CPU-time limit stops an executable too', async () => {
    const plan = exePlan(['busy'], { cpu_seconds: 1 });
    const outcome = await runPlan(plan);
    assert.equal(outcome.signal, 'SIGXCPU');
  });

  test('the open-file limit is in force', async () => {
    const plan = buildSandboxedSpawn({
      command: 'bash',
      args: ['-c', 'ulimit -n'],
      cwd: EXE_PLUGIN_DIR,
      dataDir,
      env: process.env,
      permissions: { open_files: 77, network: true },
      runtime: 'executable',
      support,
    });
    assert.equal((await runPlan(plan)).stdout.trim(), '77');
  });
});

describe('environment and working directory', { timeout: FIXTURE_TIMEOUT_MS }, () => {
  const parentEnv = {
    ...process.env,
    SECRET_TOKEN: 'hunter2',
    NODE_EXTRA_CA_CERTS: '/etc/ssl/extra.pem',
    PLUGBOARD_PROTOCOL: 'plugboard/1',
    DECLARED_VAR: 'kept',
  };

  test('a Node plugin sees only allow-listed and declared variables', async () => {
    const plan = nodePlan(['env'], { env: ['DECLARED_VAR'] }, { env: parentEnv });
    const seen = firstJsonLine(await runPlan(plan));
    assert.equal(seen['SECRET_TOKEN'], undefined);
    assert.equal(seen['NODE_EXTRA_CA_CERTS'], undefined);
    assert.equal(seen['DECLARED_VAR'], 'kept');
    assert.equal(seen['PLUGBOARD_PROTOCOL'], 'plugboard/1');
    assert.equal(seen['PATH'], process.env['PATH']);
  });

  test('an executable plugin gets the same reduced environment', async () => {
    const plan = buildSandboxedSpawn({
      command: EXE_PROBE,
      args: ['env'],
      cwd: EXE_PLUGIN_DIR,
      dataDir,
      env: parentEnv,
      permissions: { env: ['NODE_EXTRA_CA_CERTS'] },
      runtime: 'executable',
      support,
    });
    const lines = (await runPlan(plan)).stdout.split('\n');
    assert.ok(!lines.some((line) => line.startsWith('SECRET_TOKEN=')));
    assert.ok(!lines.some((line) => line.startsWith('DECLARED_VAR=')), 'not declared here');
    assert.ok(lines.includes('NODE_EXTRA_CA_CERTS=/etc/ssl/extra.pem'), 'declared, so kept');
  });

  test('the working directory is the plugin folder', async () => {
    const node = firstJsonLine(await runPlan(nodePlan(['cwd'])));
    assert.equal(node['cwd'], realpathSync(NODE_PLUGIN_DIR));
    const exe = await runPlan(exePlan(['cwd']));
    assert.equal(exe.stdout.trim(), realpathSync(EXE_PLUGIN_DIR));
  });
});

describe(
  "Node's permission model",
  { skip: skipNodePermission, timeout: FIXTURE_TIMEOUT_MS },
  () => {
    const outside = join(temp.path, 'outside');
    const secret = join(outside, 'secret.txt');
    before(() => {
      mkdirSync(outside);
      writeFileSync(secret, 'not for plugins');
      writeFileSync(join(dataDir, 'own.txt'), 'the plugin may read this');
    });

    test('denies reading a file outside the allowed folders', async () => {
      const result = firstJsonLine(await runPlan(nodePlan(['read', secret])));
      assert.deepEqual(result, { ok: false, code: 'ERR_ACCESS_DENIED' });
    });

    test('allows the data folder and declared read paths', async () => {
      const own = firstJsonLine(await runPlan(nodePlan(['read', join(dataDir, 'own.txt')])));
      assert.deepEqual(own, { ok: true, value: 'the plugin may read this' });
      const declared = nodePlan(['read', secret], { filesystem: { read: [outside] } });
      assert.deepEqual(firstJsonLine(await runPlan(declared)), {
        ok: true,
        value: 'not for plugins',
      });
    });

    test('allows writing the data folder only', async () => {
      const inData = firstJsonLine(await runPlan(nodePlan(['write', join(dataDir, 'out.txt')])));
      assert.equal(inData['ok'], true);
      const elsewhere = firstJsonLine(await runPlan(nodePlan(['write', join(outside, 'out.txt')])));
      assert.deepEqual(elsewhere, { ok: false, code: 'ERR_ACCESS_DENIED' });
    });

    test('confines a #!node executable too, found by its shebang', async () => {
      const plan = buildSandboxedSpawn({
        command: sandboxFixture('node-plugin', 'shebang-plugin'),
        args: ['read', secret],
        cwd: NODE_PLUGIN_DIR,
        dataDir,
        env: process.env,
        runtime: 'executable',
        support,
      });
      assert.equal(plan.applied.node, true);
      assert.deepEqual(firstJsonLine(await runPlan(plan)), {
        ok: false,
        code: 'ERR_ACCESS_DENIED',
      });
    });

    test('paths with spaces survive NODE_OPTIONS quoting', async () => {
      const spaced = join(temp.path, 'data dir "quoted"');
      mkdirSync(spaced);
      writeFileSync(join(spaced, 'f.txt'), 'spaced');
      const plan = nodePlan(['read', join(spaced, 'f.txt')], {}, { dataDir: spaced });
      assert.deepEqual(firstJsonLine(await runPlan(plan)), { ok: true, value: 'spaced' });
    });

    test('listening works without the socket folder allowed, but chmod of the socket does not', async () => {
      const socketDir = join(temp.path, 'sock-unlisted');
      mkdirSync(socketDir, { mode: 0o700 });
      const plan = nodePlan(['serve', '--socket', join(socketDir, 'p.sock')], { network: true });
      const child = spawn(plan.command, [...plan.args], {
        cwd: plan.cwd,
        env: plan.env,
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      const line = await new Promise<string>((resolve) => {
        child.stdout.setEncoding('utf8').once('data', (chunk: string) => resolve(chunk));
      });
      child.stdin.end();
      await new Promise((resolve) => child.once('exit', resolve));
      const result = JSON.parse(line) as {
        listening?: string;
        chmod: { ok: boolean; code?: string };
      };
      assert.equal(result.listening, join(socketDir, 'p.sock'));
      assert.deepEqual(result.chmod, { ok: false, code: 'ERR_ACCESS_DENIED' });
    });
  },
);
