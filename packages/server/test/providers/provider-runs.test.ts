import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipTarArchive } from '@plugboard/installer';
import { openProviderStore } from '@plugboard/store';
import {
  EXAMPLE_PASSWORD,
  createProviderTestServer,
  exampleProviderPackage,
  failingProviderPackage,
  multipartFile,
  waitForRun,
  waitForRunWhere,
  type ProviderTestServer,
} from '../helpers/provider-test-server.js';
import { zipArchive } from '../helpers/zip-archive.js';

async function upload(
  server: ProviderTestServer,
  archive: Buffer,
  force = false,
): Promise<Record<string, unknown>> {
  const response = await server.request({
    method: 'POST',
    url: `/api/v1/provider-plugins/upload${force ? '?force=true' : ''}`,
    ...multipartFile('plugin', 'plugin.tar.gz', archive),
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}

async function createProvider(
  server: ProviderTestServer,
  body: Record<string, unknown>,
): Promise<string> {
  const response = await server.request({
    method: 'POST',
    url: '/api/v1/providers',
    payload: body,
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json<{ id: string }>().id;
}

async function collect(server: ProviderTestServer, providerId: string): Promise<string> {
  const response = await server.request({
    method: 'POST',
    url: `/api/v1/providers/${providerId}/collect`,
  });
  assert.equal(response.statusCode, 202, response.body);
  return response.json<{ id: string }>().id;
}

async function resourceCounts(server: ProviderTestServer): Promise<{ live: number; all: number }> {
  const live = await server.request({ method: 'GET', url: '/api/v1/resources' });
  const all = await server.request({
    method: 'GET',
    url: '/api/v1/resources?include_deleted=true',
  });
  return { live: live.json<{ total: number }>().total, all: all.json<{ total: number }>().total };
}

describe('collection runs', () => {
  it('finish on the plugin version they started with when a new one is uploaded meanwhile', async () => {
    const server = await createProviderTestServer();
    try {
      await upload(server, exampleProviderPackage('0.1.0'));
      const providerId = await createProvider(server, {
        name: 'slow',
        vendor: 'example',
        provider_type: 'static',
        connection_config: { password: EXAMPLE_PASSWORD, count: 6, interval_ms: 300 },
      });
      const runId = await collect(server, providerId);
      await waitForRunWhere(server, runId, (run) => run['state'] === 'running');

      const replaced = await upload(server, exampleProviderPackage('0.2.0'), true);
      assert.deepEqual(replaced['replaced'], { name: 'example-provider', version: '0.1.0' });
      const detail = await server.request({
        method: 'GET',
        url: '/api/v1/provider-plugins/example:static',
      });
      assert.equal(detail.json<{ version: string }>().version, '0.2.0', 'hot-loaded at once');

      const first = await waitForRun(server, runId);
      assert.equal(first['state'], 'completed', JSON.stringify(first));
      assert.equal(first['plugin_version'], '0.1.0');
      assert.equal(first['found'], 7);

      await server.request({
        method: 'PATCH',
        url: `/api/v1/providers/${providerId}`,
        payload: { connection_config: { password: '********', count: 6 } },
      });
      const second = await waitForRun(server, await collect(server, providerId));
      assert.equal(second['state'], 'completed', JSON.stringify(second));
      assert.equal(second['plugin_version'], '0.2.0');
      assert.equal(second['unchanged'], 7);
      // The old version's folder goes once its last run released it.
      const installs = await readdir(join(server.dataDir, 'provider-plugins', 'installs'));
      assert.equal(installs.length, 1);
    } finally {
      await server.close();
      server.remove();
    }
  });

  it('fail with the plugin’s error when it fails or crashes mid-collect, keeping resources', async () => {
    const server = await createProviderTestServer();
    try {
      await upload(server, failingProviderPackage());
      const providerId = await createProvider(server, {
        name: 'failing',
        vendor: 'failing',
        provider_type: 'mid',
        connection_config: { count: 3 },
      });
      const good = await waitForRun(server, await collect(server, providerId));
      assert.equal(good['state'], 'completed', JSON.stringify(good));
      assert.deepEqual(await resourceCounts(server), { live: 3, all: 3 });

      await server.request({
        method: 'PATCH',
        url: `/api/v1/providers/${providerId}`,
        payload: { connection_config: { count: 2, fail: 'throw' } },
      });
      const thrown = await waitForRun(server, await collect(server, providerId));
      assert.equal(thrown['state'], 'failed');
      const thrownError = thrown['error'] as { code: string; message: string };
      assert.equal(thrownError.code, 'UNAVAILABLE');
      assert.match(thrownError.message, /the managed system went away mid-collect/);
      assert.deepEqual(await resourceCounts(server), { live: 3, all: 3 }, 'nothing removed');

      await server.request({
        method: 'PATCH',
        url: `/api/v1/providers/${providerId}`,
        payload: { connection_config: { count: 1, fail: 'exit' } },
      });
      const crashed = await waitForRun(server, await collect(server, providerId));
      assert.equal(crashed['state'], 'failed', JSON.stringify(crashed));
      const crashError = crashed['error'] as { code: string; message: string };
      assert.match(
        crashError.code,
        /^PLUGIN_(CRASHED|PROTOCOL_ERROR|CALL_FAILED)$/,
        crashError.code,
      );
      assert.deepEqual(await resourceCounts(server), { live: 3, all: 3 }, 'nothing removed');

      // An error message quoting a secret is stored and logged with the secret masked.
      const token = 'sup3r-s3cret-t0ken';
      await server.request({
        method: 'PATCH',
        url: `/api/v1/providers/${providerId}`,
        payload: { connection_config: { count: 1, fail: 'leak', token } },
      });
      const leaked = await waitForRun(server, await collect(server, providerId));
      assert.equal(leaked['state'], 'failed');
      assert.deepEqual(leaked['error'], {
        code: 'UNAUTHENTICATED',
        message: (leaked['error'] as { message: string }).message,
      });
      assert.match(
        (leaked['error'] as { message: string }).message,
        /login refused for token \*{8}/,
      );
      assert.deepEqual(
        server
          .logs()
          .split('\n')
          .filter((line) => line.includes(token)),
        [],
      );

      // The plugin is started again for the next run.
      await server.request({
        method: 'PATCH',
        url: `/api/v1/providers/${providerId}`,
        payload: { connection_config: { count: 2, token: '********' } },
      });
      const after = await waitForRun(server, await collect(server, providerId));
      assert.equal(after['state'], 'completed', JSON.stringify(after));
      assert.equal(after['removed'], 1);
      assert.deepEqual(await resourceCounts(server), { live: 2, all: 3 });
    } finally {
      await server.close();
      server.remove();
    }
  });

  it('survive a restart: pending runs run, runs of a dead worker are failed', async () => {
    const first = await createProviderTestServer({ concurrency: 0 });
    const dataDir = first.dataDir;
    let pendingId: string;
    try {
      await upload(first, exampleProviderPackage('0.1.0'));
      const providerId = await createProvider(first, {
        name: 'restart',
        vendor: 'example',
        provider_type: 'static',
        connection_config: { password: EXAMPLE_PASSWORD },
      });
      pendingId = await collect(first, providerId);
    } finally {
      await first.close();
    }
    // A run a worker took long ago and never finished (its process died).
    const store = await openProviderStore(first.config.database, {
      now: () => new Date(Date.now() - 10 * 60_000),
    });
    let staleId: string;
    try {
      const other = await store.createProvider('default', {
        name: 'orphan',
        vendor: 'example',
        providerType: 'static',
        config: {},
        secretKeys: [],
      });
      // Queued and claimed ten minutes ago (so before the pending run) by a worker that died.
      const stale = await store.createRun('default', other.id);
      staleId = stale.id;
      assert.equal((await store.claimRun('dead-worker'))?.id, staleId);
    } finally {
      await store.close();
    }
    const second = await createProviderTestServer({ dataDir, worker: { staleAfterMs: 5_000 } });
    try {
      const done = await waitForRun(second, pendingId);
      assert.equal(done['state'], 'completed', JSON.stringify(done));
      assert.equal(done['created'], 4, 'the plugin installed before the restart was loaded again');
      const stale = await waitForRun(second, staleId);
      assert.equal(stale['state'], 'failed');
      assert.match((stale['error'] as { message: string }).message, /went quiet/);
    } finally {
      await second.close();
      first.remove();
    }
  });

  it('accept zip uploads and refuse packages whose entrypoint does not run', async () => {
    const server = await createProviderTestServer({ concurrency: 0 });
    try {
      const broken = gzipTarArchive([
        {
          path: 'manifest.json',
          content: JSON.stringify({
            name: 'broken',
            version: '1.0.0',
            capabilities: [{ type: 'provider', vendor: 'broken', provider_type: 'x' }],
            runtime: { type: 'node', entrypoint: 'main.js' },
          }),
        },
        { path: 'main.js', content: 'process.exit(9);\n' },
      ]);
      const refused = await server.request({
        method: 'POST',
        url: '/api/v1/provider-plugins/upload',
        ...multipartFile('plugin', 'broken.tar.gz', broken),
      });
      assert.equal(refused.statusCode, 400, refused.body);
      assert.match(
        refused.json<{ error: { message: string } }>().error.message,
        /entrypoint does not run/,
      );
      const installs = await readdir(join(server.dataDir, 'provider-plugins', 'installs'));
      assert.deepEqual(installs, [], 'nothing of the refused upload stays');

      const example = await import('../helpers/provider-test-server.js');
      const tar = example.exampleProviderPackage('0.3.0');
      const { readPackageEntries } = await import('@plugboard/installer');
      const files: { path: string; content: Buffer; mode: number }[] = [];
      for await (const entry of readPackageEntries(
        (async function* () {
          yield tar;
        })(),
      )) {
        const chunks: Buffer[] = [];
        for await (const chunk of entry.body) chunks.push(chunk);
        files.push({
          path: entry.path,
          content: Buffer.concat(chunks),
          mode: 0o100000 | entry.mode,
        });
      }
      const zip = zipArchive(files);
      const raw = await server.request({
        method: 'POST',
        url: '/api/v1/provider-plugins/upload',
        headers: { 'content-type': 'application/zip' },
        payload: zip,
      });
      assert.equal(raw.statusCode, 201, raw.body);
      assert.equal(raw.json<{ version: string }>().version, '0.3.0');

      const refreshed = await server.request({
        method: 'POST',
        url: '/api/v1/provider-plugins/refresh',
      });
      assert.equal(refreshed.statusCode, 200, refreshed.body);
      assert.deepEqual(
        refreshed.json<{ plugins: { key: string }[] }>().plugins.map((p) => p.key),
        ['example:static'],
      );
    } finally {
      await server.close();
      server.remove();
    }
  });
});
