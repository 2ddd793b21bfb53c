import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '@plugboard/test-support';
import { blobDigestsIn, blobTempFiles } from '../helpers/test-server.js';
import { pluginPackage } from './publish-packages.js';

const SERVE_SCRIPT = fileURLToPath(new URL('../helpers/serve-for-test.js', import.meta.url));
const ADMIN_TOKEN = 'pb_publish_crash_test_admin_token_0001';

interface ServerProcess {
  readonly child: ChildProcess;
  readonly origin: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startProcess(dataDir: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, [SERVE_SCRIPT, dataDir], {
    env: { ...process.env, PLUGBOARD_ADMIN_TOKEN: ADMIN_TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const origin = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line !== undefined) {
        resolve((JSON.parse(line) as { origin: string }).origin);
      }
    });
    void exited.then(({ code }) => reject(new Error(`server exited (${code}): ${stderr}`)));
  });
  return { child, origin, exited };
}

test('SIGKILL in the middle of a publish leaves no half version; the publish works after restart', async () => {
  const data = makeTempDir('plugboard-crash-');
  const blobRoot = join(data.path, 'blobs');
  // Random content does not compress, so the upload is big enough to be caught half-way.
  const tgz = pluginPackage('crashy', '1.0.0', {
    entries: [{ path: 'payload.bin', content: randomBytes(4 * 1024 * 1024) }],
  });
  let server = await startProcess(data.path);
  try {
    const upload = request(`${server.origin}/api/v1/publish`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        'content-type': 'application/gzip',
        'transfer-encoding': 'chunked',
      },
    });
    const outcome = new Promise<string>((resolve) => {
      upload.on('error', (error) => resolve(`error: ${error.message}`));
      upload.on('response', (response) => resolve(`status ${response.statusCode}`));
    });
    upload.write(tgz.subarray(0, tgz.length / 2));
    // Wait until the server is really writing the blob: a partial temp file with bytes in it.
    const deadline = Date.now() + 60_000;
    while (blobTempFiles(blobRoot).length === 0) {
      assert.ok(Date.now() < deadline, 'the upload never reached the blob store');
      await sleep(20);
    }
    server.child.kill('SIGKILL');
    const exit = await server.exited;
    assert.equal(exit.signal, 'SIGKILL');
    upload.destroy();
    assert.match(await outcome, /^error/, 'the client saw the connection die, not an answer');

    server = await startProcess(data.path);
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const detail = await fetch(`${server.origin}/api/v1/plugins/crashy`, { headers: auth });
    assert.equal(detail.status, 404, 'no plugin record from the killed publish');
    const list = (await (
      await fetch(`${server.origin}/api/v1/plugins?q=crashy&repository=LOCAL`, { headers: auth })
    ).json()) as { total: number };
    assert.equal(list.total, 0);
    assert.deepEqual(blobDigestsIn(blobRoot), [], 'no complete blob');

    const published = await fetch(`${server.origin}/api/v1/publish`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/gzip' },
      body: tgz,
    });
    assert.equal(published.status, 201, await published.clone().text());
    const download = await fetch(`${server.origin}/api/v1/plugins/crashy/1.0.0/artifact`, {
      headers: auth,
    });
    assert.equal(download.status, 200);
    assert.ok(Buffer.from(await download.arrayBuffer()).equals(tgz));
    server.child.kill('SIGTERM');
    assert.equal((await server.exited).code, 0, 'a clean stop after SIGTERM');
  } finally {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    data.remove();
  }
});
