import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import {
  makeTempDir,
  skipUnlessAvailable,
  POSTGRES_HOW_TO_ENABLE,
  findTestPostgresUrl,
  privateSchema,
} from '@plugboard/test-support';
import {
  ADMIN_PASSWORD,
  BASIC_ADMIN,
  EXAMPLE_PASSWORD,
  exampleProviderPackage,
} from '../helpers/provider-test-server.js';

const url = await findTestPostgresUrl();
const skip = skipUnlessAvailable('PostgreSQL', url !== undefined, POSTGRES_HOW_TO_ENABLE);

const SERVE = fileURLToPath(new URL('../helpers/serve-providers-for-test.js', import.meta.url));
const RUNS = 20;

/** A server process, its origin and every JSON log line it printed. */
interface ServerProcess {
  readonly child: ChildProcess;
  readonly origin: string;
  readonly logs: Record<string, unknown>[];
  readonly stderr: string[];
}

async function startProcess(
  dataDir: string,
  database: string,
  env: Record<string, string>,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [SERVE, dataDir, database], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no origin: ${stderr.join('\n')}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr.join('\n')}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(parsed);
      if (typeof parsed['origin'] === 'string') {
        clearTimeout(timer);
        resolve(parsed['origin']);
      }
    });
  });
  return { child, origin, logs, stderr };
}

async function stopProcess(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await Promise.race([exited, sleep(20_000)]);
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
}

async function api(
  server: ServerProcess,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${server.origin}/api/v1${path}`, {
    method,
    headers: {
      ...BASIC_ADMIN,
      ...(body === undefined || body instanceof FormData
        ? {}
        : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('two server processes on one PostgreSQL', { skip }, () => {
  it(`run each of ${RUNS} queued collection runs exactly once`, { timeout: 300_000 }, async () => {
    const schema = privateSchema(url ?? '');
    const dirs = [makeTempDir('plugboard-replica-'), makeTempDir('plugboard-replica-')];
    // Replicas share the secret key (else one could not decrypt the other's providers).
    const env = {
      PLUGBOARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      PLUGBOARD_SECRET_KEY: randomBytes(32).toString('hex'),
      PLUGBOARD_COLLECTION_CONCURRENCY: '2',
    };
    const servers: ServerProcess[] = [];
    try {
      for (const dir of dirs) servers.push(await startProcess(dir.path, schema.url, env));
      const [a, b] = servers as [ServerProcess, ServerProcess];
      for (const server of servers) {
        const form = new FormData();
        form.append('plugin', new Blob([exampleProviderPackage('0.1.0')]), 'plugin.tar.gz');
        const uploaded = await api(server, 'POST', '/provider-plugins/upload', form);
        assert.equal(uploaded.status, 201, JSON.stringify(uploaded.json));
      }
      const runIds: string[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const created = await api(a, 'POST', '/providers', {
          name: `p${i}`,
          vendor: 'example',
          provider_type: 'static',
          connection_config: { password: EXAMPLE_PASSWORD, count: 2, interval_ms: 150 },
        });
        assert.equal(created.status, 201, JSON.stringify(created.json));
        const queued = await api(a, 'POST', `/providers/${String(created.json['id'])}/collect`);
        assert.equal(queued.status, 202, JSON.stringify(queued.json));
        runIds.push(String(queued.json['id']));
      }

      const deadline = Date.now() + 240_000;
      let runs: Record<string, unknown>[] = [];
      for (;;) {
        runs = (await api(b, 'GET', '/runs?limit=100')).json['runs'] as Record<string, unknown>[];
        const open = runs.filter((run) => run['state'] === 'pending' || run['state'] === 'running');
        if (runs.length === RUNS && open.length === 0) break;
        assert.ok(Date.now() < deadline, `runs still open: ${JSON.stringify(open)}`);
        await sleep(250);
      }
      assert.deepEqual(
        runs.map((run) => run['state']),
        runs.map(() => 'completed'),
        JSON.stringify(runs.filter((run) => run['state'] !== 'completed')),
      );
      assert.deepEqual(
        runs.map((run) => run['created']),
        runs.map(() => 3),
      );

      const started = (server: ServerProcess) =>
        server.logs
          .filter((line) => line['msg'] === 'collection run started')
          .map((line) => String(line['runId']));
      const byA = started(a);
      const byB = started(b);
      assert.deepEqual(
        [...byA, ...byB].sort(),
        [...runIds].sort(),
        'each run started exactly once',
      );
      assert.ok(byA.length > 0 && byB.length > 0, `both worked: ${byA.length} + ${byB.length}`);
    } finally {
      await Promise.all(servers.map(stopProcess));
      for (const dir of dirs) dir.remove();
      await schema.drop();
    }
  });
});
