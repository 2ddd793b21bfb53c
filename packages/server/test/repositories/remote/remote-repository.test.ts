import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RegistryClient } from '@plugboard/client';
import { pluginPackage } from '../../publish/publish-packages.js';
import {
  ADMIN_TOKEN,
  startDownstreamRegistry,
  startUpstreamRegistry,
  type DownstreamRegistry,
  type UpstreamRegistry,
} from '../../helpers/registry-pair.js';

// Two real servers on 127.0.0.1: `downstream` has `upstream` as a REMOTE repository (from its
// config, with upstream's reader token) and is called over HTTP with @plugboard/client.

let upstream: UpstreamRegistry;
let downstream: DownstreamRegistry;
let registry: RegistryClient;
const artifactOf = (text: string) => Buffer.from(text.repeat(2000));
const digests: Record<string, string> = {};

before(async () => {
  upstream = await startUpstreamRegistry();
  digests['alpha@1.0.0'] = await upstream.publish('alpha', '1.0.0', artifactOf('alpha 1.0.0 '));
  digests['alpha@1.1.0'] = await upstream.publish('alpha', '1.1.0', artifactOf('alpha 1.1.0 '));
  await upstream.publish('shared', '2.0.0');
  await upstream.publish('zeta', '1.0.0', undefined, { labels: ['zzz'] });
  digests['tampered@1.0.0'] = await upstream.publish('tampered', '1.0.0', artifactOf('honest '));
  // An image plugin whose registry is down: the upstream's detail carries a warning.
  await upstream.store.createPlugin('default', {
    name: 'imaged',
    manifest: { name: 'imaged' },
    image: { image: 'unreachable/imaged' },
  });
  downstream = await startDownstreamRegistry({
    remotes: [
      { name: 'upstream', endpoint: upstream.url, token: upstream.readerToken, timeout_ms: 10_000 },
    ],
  });
  await downstream.publish('beta', '1.0.0');
  await downstream.publish('shared', '1.0.0');
  registry = new RegistryClient({ url: downstream.url, token: await downstream.token('reader') });
});

after(async () => {
  await downstream.close();
  await upstream.close();
});

const REMOTE_REF = { type: 'REMOTE', id: 'config:upstream', name: 'upstream' };

test('remote plugins appear in the merged list, marked REMOTE, one global sort and total', async () => {
  const page = await registry.listPlugins();
  assert.deepEqual(
    page.plugins.map((p) => [p.name, p.repository_type]),
    [
      ['alpha', 'REMOTE'],
      ['beta', 'LOCAL'],
      ['imaged', 'REMOTE'],
      ['shared', 'LOCAL'],
      ['tampered', 'REMOTE'],
      ['zeta', 'REMOTE'],
    ],
  );
  assert.equal(page.total, 6, 'shared is counted once');
  assert.deepEqual(page.warnings, []);
  const alpha = page.plugins[0];
  assert.deepEqual(alpha?.repository, REMOTE_REF, "the remote's own LOCAL mark is replaced");
  assert.equal(alpha?.latest_version, '1.1.0');
});

test('paging across the LOCAL/REMOTE boundary and within the REMOTE repository alone', async () => {
  const merged = await registry.listPlugins({ page: 2, limit: 2 });
  assert.deepEqual(
    merged.plugins.map((p) => p.name),
    ['imaged', 'shared'],
  );
  assert.equal(merged.total, 6);
  // A duplicate outside every window ("shared" is 4th upstream, 2nd here) is still counted once.
  const first = await registry.listPlugins({ limit: 1 });
  assert.deepEqual(
    first.plugins.map((p) => p.name),
    ['alpha'],
  );
  assert.equal(first.total, 6);
  const remoteOnly = await registry.listPlugins({ repository: 'REMOTE', page: 2, limit: 2 });
  assert.deepEqual(
    remoteOnly.plugins.map((p) => p.name),
    ['shared', 'tampered'],
  );
  assert.equal(remoteOnly.total, 5);
  const descending = await registry.listPlugins({ repository: 'REMOTE', order: 'desc', limit: 3 });
  assert.deepEqual(
    descending.plugins.map((p) => p.name),
    ['zeta', 'tampered', 'shared'],
  );
});

test('filters go through to the remote', async () => {
  const page = await registry.listPlugins({ q: 'zet' });
  assert.deepEqual(
    page.plugins.map((p) => p.name),
    ['zeta'],
  );
  const labelled = await registry.listPlugins({ label: 'zzz', repository: 'REMOTE' });
  assert.deepEqual(
    labelled.plugins.map((p) => p.name),
    ['zeta'],
  );
});

test('get, versions, manifest and resolve go through to the remote', async () => {
  const alpha = await registry.getPlugin('alpha');
  assert.equal(alpha.repository_type, 'REMOTE');
  assert.deepEqual(alpha.repository, REMOTE_REF);
  assert.deepEqual(
    alpha.versions.map((v) => [v.version, v.digest]),
    [
      ['1.1.0', digests['alpha@1.1.0']],
      ['1.0.0', digests['alpha@1.0.0']],
    ],
  );
  const versions = await registry.listVersions('alpha');
  assert.equal(versions.total, 2);
  const manifest = await registry.getManifest('alpha', '1.0.0');
  assert.equal(manifest['version'], '1.0.0');
  assert.equal(manifest['description'], 'alpha plugin');
  const resolved = await registry.resolve('alpha', '^1.0');
  assert.equal(resolved.version, '1.1.0');
  assert.equal(resolved.repository_type, 'REMOTE');
  await assert.rejects(registry.getManifest('alpha', '9.9.9'), { code: 'VERSION_NOT_FOUND' });
  await assert.rejects(registry.getPlugin('nowhere'), { code: 'PLUGIN_NOT_FOUND' });
});

test("the remote's detail warnings and image stay visible, naming the repository", async () => {
  const imaged = await registry.getPlugin('imaged');
  assert.equal(imaged.repository_type, 'REMOTE');
  assert.equal(imaged.image?.image, 'unreachable/imaged');
  assert.equal(imaged.warnings?.length, 1);
  assert.match(imaged.warnings?.[0] ?? '', /^REMOTE repository "upstream": versions of image/);
});

test('a name in LOCAL and REMOTE resolves to LOCAL; ?repository=REMOTE picks the remote', async () => {
  const shared = await registry.getPlugin('shared');
  assert.equal(shared.repository_type, 'LOCAL');
  assert.equal(shared.latest_version, '1.0.0');
  const remote = await registry.getPlugin('shared', { repository: 'REMOTE' });
  assert.equal(remote.repository_type, 'REMOTE');
  assert.equal(remote.latest_version, '2.0.0');
});

test('an artifact goes through, is verified and cached, and is then served from the cache', async () => {
  const digest = digests['alpha@1.0.0'] ?? '';
  assert.equal(await downstream.blobs.has(digest), false);
  const first = await readDownload(await registry.downloadArtifact('alpha', '1.0.0'));
  assert.equal(first.digest, digest);
  assert.equal(first.announced, digest);
  assert.ok(first.bytes.equals(artifactOf('alpha 1.0.0 ')));
  assert.equal(await downstream.blobs.has(digest), true, 'cached in the blob store');
  const artifactCalls = () =>
    upstream.requests.filter((r) => r.includes('/plugins/alpha/1.0.0/artifact')).length;
  const callsBefore = artifactCalls();
  const second = await readDownload(await registry.downloadArtifact('alpha', '1.0.0'));
  assert.ok(second.bytes.equals(first.bytes));
  assert.equal(artifactCalls(), callsBefore, 'the second download does not reach the remote');
});

test('bytes that do not match the listed digest are refused and nothing is cached', async () => {
  const digest = digests['tampered@1.0.0'] ?? '';
  // Corrupt the upstream's stored blob: it keeps announcing the old digest, with other bytes.
  const hex = digest.slice('sha256:'.length);
  await writeFile(join(upstream.blobs.root, 'sha256', hex.slice(0, 2), hex), 'evil bytes');
  await assert.rejects(registry.downloadArtifact('tampered', '1.0.0'), (error: Error) => {
    assert.equal((error as Error & { code: string }).code, 'DIGEST_MISMATCH');
    assert.match(error.message, /upstream/);
    return true;
  });
  assert.equal(await downstream.blobs.has(digest), false);
  const evil = `sha256:${createHash('sha256').update('evil bytes').digest('hex')}`;
  assert.equal(await downstream.blobs.has(evil), false, 'the wrong bytes are not kept either');
});

test('a version published to the remote with the client is visible and downloadable downstream', async () => {
  const publisher = new RegistryClient({ url: upstream.url, token: ADMIN_TOKEN });
  const pkg = pluginPackage('published', '3.0.0');
  const stored = await publisher.publish(pkg);
  const detail = await registry.getPlugin('published');
  assert.equal(detail.repository_type, 'REMOTE');
  assert.equal(detail.versions[0]?.digest, stored.digest);
  const download = await readDownload(await registry.downloadArtifact('published', '3.0.0'));
  assert.ok(download.bytes.equals(pkg));
  assert.equal(download.announced, stored.digest);
});

test("the remote's token appears in no response body and no log line", async () => {
  assert.ok(downstream.responseBodies.length > 10, 'responses were recorded');
  assert.ok(downstream.logLines.length > 10, 'log lines were recorded');
  const leaks = [...downstream.responseBodies, ...downstream.logLines].filter((text) =>
    text.includes(upstream.readerToken),
  );
  assert.deepEqual(leaks, []);
  const repositories = await registry.listRepositories();
  const remote = repositories.repositories.find((r) => r.id === 'config:upstream');
  assert.equal(remote?.has_token, true);
  assert.equal(remote?.endpoint, upstream.url);
  assert.ok(!JSON.stringify(repositories).includes(upstream.readerToken));
});

async function readDownload(download: Awaited<ReturnType<RegistryClient['downloadArtifact']>>) {
  const chunks: Buffer[] = [];
  for await (const chunk of download.body) chunks.push(Buffer.from(chunk));
  const bytes = Buffer.concat(chunks);
  return {
    bytes,
    announced: download.digest,
    digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
  };
}
