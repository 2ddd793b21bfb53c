import assert from 'node:assert/strict';
import { existsSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RegistryClient } from '@plugboard/client';
import { FsBlobStore } from '@plugboard/store';
import { makeTempDir } from '@plugboard/test-support';
import { BlobCollector, DEFAULT_CACHE_RETENTION_MS } from '../../../src/publish/blob-collector.js';
import {
  RETAIN_REFRESH_MS,
  RemoteArtifacts,
} from '../../../src/repositories/remote/remote-artifacts.js';
import {
  startDownstreamRegistry,
  startUpstreamRegistry,
  type DownstreamRegistry,
  type UpstreamRegistry,
} from '../../helpers/registry-pair.js';

// A cached REMOTE artifact is referenced by no version row; its retention mark (set when stored,
// refreshed when served) keeps it through the blob sweep for the cache retention after its last
// use, so it is still served while its remote is down.

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

let upstream: UpstreamRegistry;
let downstream: DownstreamRegistry;
let registry: RegistryClient;

before(async () => {
  upstream = await startUpstreamRegistry();
  await upstream.publish('kept-remote', '1.0.0');
  downstream = await startDownstreamRegistry({
    remotes: [{ name: 'origin', endpoint: upstream.url, token: upstream.readerToken }],
    breaker: { failureThreshold: 1, cooldownMs: 10 * 60 * 1000 },
  });
  registry = new RegistryClient({
    url: downstream.url,
    token: await downstream.token('reader'),
    timeoutMs: 60_000,
  });
});

after(async () => {
  await downstream.close();
  await upstream.close();
});

async function readAll(download: { body: AsyncIterable<Uint8Array> }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of download.body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function blobsRoot(): string {
  return join(downstream.config.dataDir, 'blobs');
}

/** Makes the cached copy look written two hours ago and last used `lastUseAgoMs` ago. */
function age(digest: string, lastUseAgoMs: number): void {
  const hex = digest.slice('sha256:'.length);
  const written = new Date(Date.now() - 2 * HOUR_MS);
  utimesSync(join(blobsRoot(), 'sha256', hex.slice(0, 2), hex), written, written);
  const used = new Date(Date.now() - lastUseAgoMs);
  utimesSync(join(blobsRoot(), 'retained', hex), used, used);
}

test('a cached copy used within the retention survives the sweep and is served while the remote is down; past it, it goes', async () => {
  const artifact = await readAll(await registry.downloadArtifact('kept-remote', '1.0.0'));
  const digest = (await registry.getPlugin('kept-remote')).versions?.find(
    (version) => version.version === '1.0.0',
  )?.digest;
  assert.ok(digest !== undefined);
  assert.equal(await downstream.blobs.has(digest), true, 'the artifact is cached');

  const collector = new BlobCollector({ store: downstream.store, blobs: downstream.blobs });
  try {
    // Past the 1 h grace period, but used three days ago: kept.
    age(digest, 3 * DAY_MS);
    const kept = await collector.collect();
    assert.equal(kept.cacheRetentionMs, DEFAULT_CACHE_RETENTION_MS);
    assert.equal(kept.keptRetained, 1);
    assert.equal(kept.deleted, 0);
    assert.equal(await downstream.blobs.has(digest), true);

    // The remote goes down (the breaker opens on the first failure): the copy is still served.
    await upstream.stop();
    const page = await registry.listPlugins();
    assert.match(page.warnings[0] ?? '', /"origin" left out/);
    const served = await readAll(await registry.downloadArtifact('kept-remote', '1.0.0'));
    assert.ok(served.equals(artifact), 'the cached copy is served while the remote is down');

    // Unused for longer than the retention: deleted, and with the remote down nothing is served.
    age(digest, DEFAULT_CACHE_RETENTION_MS + DAY_MS);
    const swept = await collector.collect();
    assert.equal(swept.deleted, 1);
    assert.equal(await downstream.blobs.has(digest), false);
    assert.equal(existsSync(join(blobsRoot(), 'retained', digest.slice(7))), false);
    await assert.rejects(registry.downloadArtifact('kept-remote', '1.0.0'));
  } finally {
    await collector.close();
  }
});

test('serving a cached copy refreshes its mark at most once per refresh period', async () => {
  const dir = makeTempDir('plugboard-remote-retain-');
  try {
    const blobs = await FsBlobStore.open(dir.path);
    let now = 0;
    const artifacts = new RemoteArtifacts(blobs, 1024, () => now);
    const content = Buffer.from('remote artifact bytes');
    const stored = await blobs.put(
      (async function* () {
        yield content;
      })(),
    );
    const reference = { digest: stored.digest, size: stored.size };
    const noDownload = async (): Promise<void> => assert.fail('the copy is cached');
    const mark = join(dir.path, 'retained', stored.digest.slice(7));
    const serve = async (): Promise<void> => {
      (await artifacts.open(reference, noDownload)).stream.destroy();
    };
    const sweep = () =>
      blobs.sweep({
        graceMs: HOUR_MS,
        retainMs: DEFAULT_CACHE_RETENTION_MS,
        referenced: async () => new Set(),
      });
    const ageBlob = (lastUseAgoMs: number): void => {
      const hex = stored.digest.slice(7);
      const written = new Date(Date.now() - 2 * HOUR_MS);
      utimesSync(join(dir.path, 'sha256', hex.slice(0, 2), hex), written, written);
      const used = new Date(Date.now() - lastUseAgoMs);
      utimesSync(mark, used, used);
    };

    await serve(); // marks it (first use in this process)
    assert.equal(existsSync(mark), true);
    // Marked long ago; served again within the refresh period: not re-marked, so it goes.
    ageBlob(DEFAULT_CACHE_RETENTION_MS + DAY_MS);
    now += RETAIN_REFRESH_MS / 2;
    await serve();
    assert.equal((await sweep()).keptRetained, 0);
    assert.equal(await blobs.has(stored.digest), false);

    // Stored again, marked long ago, served after the refresh period: re-marked, so it stays.
    await blobs.put(
      (async function* () {
        yield content;
      })(),
    );
    await blobs.retain(stored.digest);
    ageBlob(DEFAULT_CACHE_RETENTION_MS + DAY_MS);
    now += RETAIN_REFRESH_MS;
    await serve();
    assert.equal((await sweep()).keptRetained, 1);
    assert.equal(await blobs.has(stored.digest), true);
  } finally {
    dir.remove();
  }
});
