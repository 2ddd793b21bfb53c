// The wrapper's decisions, with the machine's support injected: no processes are started.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Permissions } from '@plugboard/core';
import {
  buildSandboxedSpawn,
  CPU_KILL_GRACE_SECONDS,
  DEFAULT_OPEN_FILES,
  NODE_ADDRESS_SPACE_HEADROOM_MB,
  type SandboxSpawnInput,
  type SandboxSupport,
} from '../../src/sandbox/index.js';

const MIB = 1024 * 1024;

const FULL_SUPPORT: SandboxSupport = {
  platform: 'linux',
  prlimit: { available: true, prefix: ['prlimit'], openFilesHardLimit: 4096 },
  networkIsolation: { available: true, prefix: ['unshare', '-n'] },
  nodePermission: { available: true, flag: '--experimental-permission', canDisableWarning: true },
};

const NO_SUPPORT: SandboxSupport = {
  platform: 'linux',
  prlimit: { available: false, reason: 'prlimit: not found' },
  networkIsolation: { available: false, reason: 'unshare: Operation not permitted' },
  nodePermission: { available: false, reason: 'node: bad option' },
};

function input(overrides: Partial<SandboxSpawnInput> = {}): SandboxSpawnInput {
  return {
    command: '/plugins/aws/aws',
    args: ['serve', '--socket', '/tmp/pb-x/p.sock'],
    cwd: '/plugins/aws',
    dataDir: '/data/aws',
    socketDir: '/tmp/pb-x',
    env: { PATH: '/usr/bin', HOME: '/root', AWS_SECRET_ACCESS_KEY: 'x' },
    permissions: {},
    runtime: 'executable',
    support: FULL_SUPPORT,
    isNodeCommand: () => false,
    realpath: (path) => path,
    ...overrides,
  };
}

describe('buildSandboxedSpawn for executables', () => {
  test('wraps the command in unshare and prlimit, keeping its arguments last', () => {
    const plan = buildSandboxedSpawn(input({ permissions: { memory_mb: 64, cpu_seconds: 3 } }));
    assert.equal(plan.command, 'unshare');
    assert.deepEqual(plan.args, [
      '-n',
      '--',
      'prlimit',
      `--as=${String(64 * MIB)}`,
      `--cpu=3:${String(3 + CPU_KILL_GRACE_SECONDS)}`,
      `--nofile=${String(DEFAULT_OPEN_FILES)}:${String(DEFAULT_OPEN_FILES)}`,
      '--',
      '/plugins/aws/aws',
      'serve',
      '--socket',
      '/tmp/pb-x/p.sock',
    ]);
    assert.equal(plan.cwd, '/plugins/aws');
    assert.deepEqual(plan.env, { PATH: '/usr/bin', HOME: '/root' });
    assert.equal(plan.applied.network, 'isolated');
    assert.equal(plan.applied.memoryMb, 64);
    assert.deepEqual(plan.applied.kernel, {
      addressSpaceMb: 64,
      cpuSoftSeconds: 3,
      cpuHardSeconds: 3 + CPU_KILL_GRACE_SECONDS,
      openFiles: DEFAULT_OPEN_FILES,
    });
  });

  test('declared network skips the namespace', () => {
    const plan = buildSandboxedSpawn(input({ permissions: { network: true } }));
    assert.equal(plan.command, 'prlimit');
    assert.equal(plan.applied.network, 'full');
  });

  test('a host allow-list cannot be enforced: full network and a warning naming the hosts', () => {
    const plan = buildSandboxedSpawn(input({ permissions: { network: ['api.example.com'] } }));
    assert.equal(plan.applied.network, 'full');
    assert.ok(
      plan.warnings.some((w) => w.includes('api.example.com') && w.includes('not enforced')),
    );
  });

  test('an empty allow-list means no network', () => {
    const plan = buildSandboxedSpawn(input({ permissions: { network: [] } }));
    assert.equal(plan.applied.network, 'isolated');
  });

  test('without the tools it runs the bare command and says what it could not enforce', () => {
    const plan = buildSandboxedSpawn(
      input({ support: NO_SUPPORT, permissions: { memory_mb: 64, cpu_seconds: 2 } }),
    );
    assert.equal(plan.command, '/plugins/aws/aws');
    assert.deepEqual(plan.args, ['serve', '--socket', '/tmp/pb-x/p.sock']);
    assert.equal(plan.applied.network, 'full');
    assert.deepEqual(plan.applied.kernel, {});
    const text = plan.warnings.join('\n');
    assert.match(text, /memory limit of 64 MiB.*prlimit: not found/);
    assert.match(text, /CPU-time limit of 2 s/);
    assert.match(text, /network not isolated.*Operation not permitted/);
    assert.match(text, /filesystem not confined/);
  });

  test("an open-file limit above the host's hard limit is lowered, with a warning", () => {
    const plan = buildSandboxedSpawn(input({ permissions: { open_files: 100_000 } }));
    assert.equal(plan.applied.kernel.openFiles, 4096);
    assert.ok(plan.args.includes('--nofile=4096:4096'));
    assert.ok(plan.warnings.some((w) => w.includes('lowered from 100000 to 4096')));
  });

  test('host defaults fill in what the manifest leaves out', () => {
    const plan = buildSandboxedSpawn(
      input({ defaults: { memoryMb: 512, openFiles: 64 }, permissions: { open_files: 32 } }),
    );
    assert.deepEqual(plan.applied.kernel, { addressSpaceMb: 512, openFiles: 32 });
  });
});

describe('buildSandboxedSpawn for Node plugins', () => {
  const nodeInput = (overrides: Partial<SandboxSpawnInput> = {}): SandboxSpawnInput =>
    input({
      command: '/usr/bin/node',
      args: ['/plugins/js/main.js', 'serve'],
      cwd: '/plugins/js',
      runtime: { type: 'node' },
      ...overrides,
    });

  test('memory is the V8 heap, with an address-space backstop that leaves V8 room to start', () => {
    const plan = buildSandboxedSpawn(nodeInput({ permissions: { memory_mb: 64 } }));
    assert.equal(plan.applied.heapMb, 64);
    assert.equal(plan.applied.kernel.addressSpaceMb, 64 + NODE_ADDRESS_SPACE_HEADROOM_MB);
    assert.match(plan.env['NODE_OPTIONS'] ?? '', /--max-old-space-size=64(\s|$)/);
  });

  test('the permission model allows the plugin, data and socket folders and declared paths', () => {
    const plan = buildSandboxedSpawn(
      nodeInput({
        permissions: { filesystem: { read: ['~/.aws', 'assets'], write: ['/var/cache/js'] } },
      }),
    );
    const options = (plan.env['NODE_OPTIONS'] ?? '').split(' ');
    assert.deepEqual(options, [
      '--experimental-permission',
      '--disable-warning=ExperimentalWarning',
      '--allow-fs-read=/plugins/js',
      '--allow-fs-read=/data/aws',
      '--allow-fs-read=/tmp/pb-x',
      '--allow-fs-read=/root/.aws',
      '--allow-fs-read=/plugins/js/assets',
      '--allow-fs-write=/data/aws',
      '--allow-fs-write=/tmp/pb-x',
      '--allow-fs-write=/var/cache/js',
    ]);
    assert.deepEqual(plan.applied.nodePermission?.write, [
      '/data/aws',
      '/tmp/pb-x',
      '/var/cache/js',
    ]);
    assert.ok(!plan.warnings.some((w) => w.includes('filesystem')));
  });

  test('child processes and workers only when declared', () => {
    const plain = buildSandboxedSpawn(nodeInput());
    assert.doesNotMatch(plain.env['NODE_OPTIONS'] ?? '', /allow-child-process|allow-worker/);
    const declared = buildSandboxedSpawn(
      nodeInput({ permissions: { child_process: true, worker: true } as Permissions }),
    );
    assert.match(declared.env['NODE_OPTIONS'] ?? '', /--allow-child-process/);
    assert.match(declared.env['NODE_OPTIONS'] ?? '', /--allow-worker/);
    assert.ok(declared.warnings.some((w) => w.includes('child_process')));
  });

  test('symlinked folders are allowed by both paths (Node checks the resolved one)', () => {
    const plan = buildSandboxedSpawn(
      nodeInput({
        realpath: (path) => (path === '/plugins/js' ? '/store/js-1.0.0' : path),
      }),
    );
    assert.deepEqual(plan.applied.nodePermission?.read.slice(0, 2), [
      '/plugins/js',
      '/store/js-1.0.0',
    ]);
  });

  test('a declared NODE_OPTIONS is kept, before the sandbox flags', () => {
    const plan = buildSandboxedSpawn(
      nodeInput({
        env: { PATH: '/bin', NODE_OPTIONS: '--enable-source-maps' },
        permissions: { env: ['NODE_OPTIONS'] },
      }),
    );
    assert.match(plan.env['NODE_OPTIONS'] ?? '', /^--enable-source-maps --experimental-permission/);
    const undeclared = buildSandboxedSpawn(
      nodeInput({ env: { PATH: '/bin', NODE_OPTIONS: '--enable-source-maps' } }),
    );
    assert.doesNotMatch(undeclared.env['NODE_OPTIONS'] ?? '', /source-maps/);
  });

  test("without Node's permission model the heap limit still applies, with a warning", () => {
    const plan = buildSandboxedSpawn(
      nodeInput({ support: NO_SUPPORT, permissions: { memory_mb: 128 } }),
    );
    assert.equal(plan.env['NODE_OPTIONS'], '--max-old-space-size=128');
    assert.equal(plan.applied.nodePermission, undefined);
    assert.ok(plan.warnings.some((w) => w.includes('address-space backstop')));
    assert.ok(plan.warnings.some((w) => w.includes('filesystem not confined: node: bad option')));
  });

  test('an executable runtime whose command runs Node is treated as Node', () => {
    const plan = buildSandboxedSpawn(input({ isNodeCommand: () => true }));
    assert.equal(plan.applied.node, true);
    assert.match(plan.env['NODE_OPTIONS'] ?? '', /--experimental-permission/);
  });
});

test('image runtimes keep their command and warn that the container runtime must limit them', () => {
  const plan = buildSandboxedSpawn(
    input({ command: 'docker', args: ['run', 'img'], runtime: 'image' }),
  );
  assert.equal(plan.command, 'docker');
  assert.deepEqual(plan.args, ['run', 'img']);
  assert.deepEqual(plan.env, { PATH: '/usr/bin', HOME: '/root' });
  assert.equal(plan.warnings.length, 1);
  assert.match(plan.warnings[0] ?? '', /container runtime/);
});
