import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import {
  clientWorkspace,
  pluginPackage,
  startRegistryServer,
  writePackage,
  type ClientWorkspace,
  type TestRegistryServer,
} from './plugboard-workspace.js';

const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));

let registry: TestRegistryServer;

before(async () => {
  registry = await startRegistryServer();
});
after(async () => {
  await registry.close();
});

/** Runs the real `plugboard` executable in the workspace. */
function plugboard(client: ClientWorkspace, args: readonly string[]) {
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd: client.cwd,
    env: client.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, exited, output: () => output };
}

test('two plugboard processes installing one plugin at once end with one good copy', async () => {
  const client = clientWorkspace(registry.origin, registry.adminToken);
  try {
    writePackage(
      client,
      'conc.tgz',
      pluginPackage('concurrent', '1.0.0', {
        extra: [{ path: 'data.bin', content: Buffer.alloc(4 * 1024 * 1024, 9) }],
      }),
    );
    assert.equal((await client.run(['publish', 'conc.tgz'])).code, 0);
    const first = plugboard(client, ['install', 'concurrent']);
    const second = plugboard(client, ['install', 'concurrent']);
    const codes = await Promise.all([first.exited, second.exited]);
    assert.deepEqual(codes, [0, 0], `${first.output()}\n---\n${second.output()}`);
    const root = join(client.home, 'plugins');
    assert.deepEqual(readdirSync(join(root, 'concurrent')), ['1.0.0']);
    const validate = await client.run(['validate', 'concurrent']);
    assert.equal(validate.code, 0, validate.stdout);
    const lock = JSON.parse(readFileSync(join(root, 'plugboard.lock'), 'utf8')) as {
      plugins: { name: string }[];
    };
    assert.deepEqual(
      lock.plugins.map((p) => p.name),
      ['concurrent'],
    );
    assert.deepEqual(readdirSync(join(root, '.plugboard', 'staging')), []);
  } finally {
    client.remove();
  }
});

test('SIGKILL of plugboard install mid-download leaves the old version working; the next command cleans up', async () => {
  const client = clientWorkspace(registry.origin, registry.adminToken);
  const v2 = pluginPackage('killed', '2.0.0', {
    extra: [{ path: 'data.bin', content: Buffer.alloc(2 * 1024 * 1024, 1) }],
  });
  let sentHalf!: () => void;
  const halfway = new Promise<void>((resolve) => (sentHalf = resolve));
  const stalling = createServer((request, response) => {
    if (request.url?.endsWith('.sig') === true) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-length': String(v2.length) });
    response.write(v2.subarray(0, v2.length >> 1), () => sentHalf());
  });
  await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
  const address = stalling.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  try {
    writePackage(client, 'killed-1.tgz', pluginPackage('killed', '1.0.0', { flavour: 'old' }));
    assert.equal((await client.run(['install', './killed-1.tgz'])).code, 0);
    const running = plugboard(client, ['install', `http://127.0.0.1:${port}/killed-2.0.0.tgz`]);
    await halfway;
    const staging = join(client.home, 'plugins', '.plugboard', 'staging');
    for (let i = 0; i < 200 && readdirSync(staging).length === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    running.child.kill('SIGKILL');
    await running.exited;
    assert.equal(readdirSync(staging).length, 1, 'the killed install left its staging folder');
    let result = await client.run(['validate', 'killed']);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /killed@1\.0\.0/);
    writePackage(client, 'killed-2.tgz', v2);
    result = await client.run(['install', './killed-2.tgz']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /updated killed 1\.0\.0 → 2\.0\.0/);
    assert.deepEqual(readdirSync(staging), []);
    assert.equal(existsSync(join(client.home, 'plugins', 'killed', '1.0.0')), false);
  } finally {
    stalling.closeAllConnections();
    stalling.close();
    client.remove();
  }
});
