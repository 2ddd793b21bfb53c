import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { commandWorks, makeTempDir, skipUnlessAvailable } from '@plugboard/test-support';
import {
  ADMIN_PASSWORD,
  EXAMPLE_PASSWORD,
  exampleProviderPackage,
} from '../helpers/provider-test-server.js';

const run = promisify(execFile);
const SERVE = fileURLToPath(new URL('../helpers/serve-providers-for-test.js', import.meta.url));
const skip = skipUnlessAvailable(
  'curl',
  commandWorks('curl'),
  'install curl (apt-get install curl)',
);

/** Runs curl with seed 004's arguments; returns the body it printed. */
async function curl(...args: string[]): Promise<string> {
  const { stdout } = await run('curl', ['-sS', '--fail-with-body', ...args]);
  return stdout;
}

describe('seed 004’s curl commands against a running server', { skip }, () => {
  it('upload → create provider → collect → resources, as written in the seed', async () => {
    const dir = makeTempDir('plugboard-curl-');
    const child = spawn(
      process.execPath,
      [SERVE, join(dir.path, 'data'), `sqlite:${join(dir.path, 'data', 'plugboard.db')}`],
      {
        env: { ...process.env, PLUGBOARD_ADMIN_PASSWORD: ADMIN_PASSWORD },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      const origin = await new Promise<string>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
        createInterface({ input: child.stdout }).on('line', (line) => {
          if (line.startsWith('{"origin"'))
            resolve((JSON.parse(line) as { origin: string }).origin);
        });
      });
      const base = `${origin}/api/inventory/v1`;
      const auth = `admin:${ADMIN_PASSWORD}`;
      const tarball = join(dir.path, 'plugin.tar.gz');
      writeFileSync(tarball, exampleProviderPackage());

      const uploaded = JSON.parse(
        await curl(
          '-X',
          'POST',
          '-u',
          auth,
          '-F',
          `plugin=@${tarball};type=application/gzip`,
          `${base}/provider-plugins/upload/`,
        ),
      ) as { key: string; class_path: string; resource_types: string[] };
      assert.equal(uploaded.key, 'example:static');

      const provider = JSON.parse(
        await curl(
          '-X',
          'POST',
          '-u',
          auth,
          '-H',
          'Content-Type: application/json',
          '-d',
          JSON.stringify({
            name: 'Production static',
            infrastructure: 'private_cloud',
            vendor: 'example',
            provider_type: 'static',
            endpoint: 'static.lab.local',
            organization: 1,
            connection_config: { password: EXAMPLE_PASSWORD, count: 2 },
          }),
          `${base}/providers/`,
        ),
      ) as { id: string };

      const { stdout: status } = await run('curl', [
        '-sS',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '-X',
        'POST',
        '-u',
        auth,
        '-H',
        'Content-Type: application/json',
        `${base}/providers/${provider.id}/collect/`,
      ]);
      assert.equal(status, '202');

      let resources: { total: number; resources: { ems_ref: string }[] } = {
        total: 0,
        resources: [],
      };
      for (let attempt = 0; attempt < 600 && resources.total < 3; attempt += 1) {
        await sleep(100);
        resources = JSON.parse(await curl('-u', auth, `${base}/resources/`)) as typeof resources;
      }
      assert.deepEqual(
        resources.resources.map((r) => r.ems_ref),
        ['host-0', 'vm-0', 'vm-1'],
      );
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(20_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
      dir.remove();
    }
  });
});
