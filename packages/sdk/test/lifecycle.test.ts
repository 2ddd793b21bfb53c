import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeTempDir } from '@plugboard/test-support';
import {
  call,
  EXAMPLES,
  killQuietly,
  runToEnd,
  startPlugin,
  within,
  type PluginProcess,
} from './plugin-process.js';

const running: PluginProcess[] = [];
const dirs: { remove(): void }[] = [];

function socketInTempDir(): string {
  const dir = makeTempDir('pb-sdk-');
  dirs.push(dir);
  return join(dir.path, 'p.sock');
}

async function start(
  options: Parameters<typeof startPlugin>[2] = {},
  socketPath = socketInTempDir(),
): Promise<PluginProcess> {
  const plugin = await startPlugin(EXAMPLES.echo, socketPath, options);
  running.push(plugin);
  return plugin;
}

after(() => {
  for (const plugin of running) killQuietly(plugin);
  for (const dir of dirs) dir.remove();
});

test('POST /shutdown lets a slow in-flight call finish, then exits 0 and removes the socket', async () => {
  const plugin = await start();
  const socketPath = plugin.address.kind === 'unix' ? plugin.address.path : '';
  const slow = call(plugin.address, 'POST', '/v1/echo/sleep', { ms: 1500 });
  // Wait until the call is really in flight before asking for the shutdown.
  for (let i = 0; i < 100; i++) {
    const health = (await call(plugin.address, 'GET', '/healthz')).json() as { in_flight: number };
    if (health.in_flight === 1) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const shutdown = await call(plugin.address, 'POST', '/shutdown');
  assert.equal(shutdown.status, 202);
  // New connections are refused once shutdown has begun.
  await assert.rejects(call(plugin.address, 'POST', '/v1/echo/echo', {}));
  const answer = await slow;
  assert.equal(answer.status, 200);
  assert.deepEqual(answer.json(), { slept: 1500 });
  const exit = await within(plugin.exited, 15_000, 'exit after /shutdown');
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.equal(existsSync(socketPath), false, 'socket file removed');
});

test('SIGTERM shuts down gracefully as well: the in-flight call finishes and the exit code is 0', async () => {
  const plugin = await start();
  const slow = call(plugin.address, 'POST', '/v1/echo/sleep', { ms: 1000 });
  for (let i = 0; i < 100; i++) {
    const health = (await call(plugin.address, 'GET', '/healthz')).json() as { in_flight: number };
    if (health.in_flight === 1) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  plugin.child.kill('SIGTERM');
  assert.deepEqual((await slow).json(), { slept: 1000 });
  assert.deepEqual(await within(plugin.exited, 15_000, 'exit after SIGTERM'), {
    code: 0,
    signal: null,
  });
  assert.equal(existsSync(plugin.address.kind === 'unix' ? plugin.address.path : ''), false);
});

test('the idle timeout makes an unused plugin exit 0 by itself', async () => {
  const plugin = await start({ idleTimeoutMs: 300 });
  const exit = await within(plugin.exited, 15_000, 'idle exit');
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.match(plugin.stderr.join(''), /idle for 300 ms/);
  assert.equal(existsSync(plugin.address.kind === 'unix' ? plugin.address.path : ''), false);
});

test('calls keep an idle timeout from firing while they run', async () => {
  const plugin = await start({ idleTimeoutMs: 1000 });
  const answer = await call(plugin.address, 'POST', '/v1/echo/sleep', { ms: 2500 });
  assert.equal(answer.status, 200, 'a call longer than the idle timeout completes');
  assert.equal(plugin.child.exitCode, null, 'still running right after the call');
  assert.deepEqual(await within(plugin.exited, 15_000, 'idle exit after the call'), {
    code: 0,
    signal: null,
  });
});

test('closing stdin (the host died) makes the plugin exit', async () => {
  const plugin = await start();
  assert.equal((await call(plugin.address, 'GET', '/healthz')).status, 200);
  plugin.child.stdin.end();
  assert.deepEqual(await within(plugin.exited, 15_000, 'exit after stdin EOF'), {
    code: 0,
    signal: null,
  });
  assert.match(plugin.stderr.join(''), /stdin closed/);
});

test('falls back to TCP 127.0.0.1 when the socket directory is not writable', async () => {
  // Root may write to any mode-0500 directory, so as root the test uses procfs, which refuses new
  // files to everyone.
  let dir: string | undefined;
  let socketPath: string;
  if (process.getuid?.() === 0) {
    socketPath = '/proc/self/plugboard-test.sock';
  } else {
    dir = mkdtempSync(join(tmpdir(), 'pb-ro-'));
    chmodSync(dir, 0o500);
    socketPath = join(dir, 'p.sock');
  }
  try {
    const plugin = await start({}, socketPath);
    assert.equal(plugin.address.kind, 'tcp');
    assert.equal(plugin.address.kind === 'tcp' ? plugin.address.host : '', '127.0.0.1');
    assert.match(plugin.handshake.address, /^tcp:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual((await call(plugin.address, 'POST', '/v1/echo/echo', { via: 'tcp' })).json(), {
      echo: { via: 'tcp' },
    });
    assert.match(plugin.stderr.join(''), /falling back to TCP/);
    assert.equal((await call(plugin.address, 'POST', '/shutdown')).status, 202);
    assert.deepEqual(await within(plugin.exited, 15_000, 'exit'), { code: 0, signal: null });
  } finally {
    if (dir !== undefined) {
      chmodSync(dir, 0o700);
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('falls back to TCP when the socket path is longer than 100 bytes', async () => {
  const plugin = await start({}, `/tmp/${'x'.repeat(120)}.sock`);
  assert.equal(plugin.address.kind, 'tcp');
  assert.match(plugin.stderr.join(''), /at most 100 are allowed/);
  plugin.child.stdin.end();
  await within(plugin.exited, 15_000, 'exit');
});

test('a configuration line that is not JSON makes serve exit 1 without echoing it', async () => {
  const result = await runToEnd(
    EXAMPLES.echo,
    ['serve', '--socket', socketInTempDir()],
    '{"config":{"password":"hunter2"\n',
  );
  assert.equal(result.code, 1);
  assert.equal(result.stdout, '', 'no handshake');
  assert.match(result.stderr, /stdin configuration line is not valid JSON/);
  assert.doesNotMatch(result.stderr, /hunter2/);
});

test('stdin closing before the configuration line makes serve exit 1', async () => {
  const result = await runToEnd(EXAMPLES.echo, ['serve', '--socket', socketInTempDir()], '');
  assert.equal(result.code, 1);
  assert.match(result.stderr, /stdin closed before the configuration line/);
});

test('a configuration violating config_schema makes serve exit 1 naming the path', async () => {
  const result = await runToEnd(
    EXAMPLES.provider,
    ['serve', '--socket', socketInTempDir()],
    '{"config":{"password":7}}\n',
  );
  assert.equal(result.code, 1);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /configuration is invalid: password: must be string/);
});
