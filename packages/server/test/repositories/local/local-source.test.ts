import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  FsBlobStore,
  MAX_PLUGIN_PAGE_LIMIT,
  openMetadataStore,
  type BlobStore,
  type MetadataStore,
} from '@plugboard/store';
import { makeTempDir } from '@plugboard/test-support';
import { LocalSource } from '../../../src/repositories/local/local-source.js';
import { fakeImageVersions } from '../../helpers/test-server.js';

/** More plugins than one store page holds, so windows must be read in chunks. */
const PLUGIN_COUNT = MAX_PLUGIN_PAGE_LIMIT + 50;

describe('LocalSource', () => {
  const dir = makeTempDir('plugboard-local-');
  let store: MetadataStore;
  let blobs: BlobStore;
  const scope = { domainId: 'local-a' };
  const names = Array.from({ length: PLUGIN_COUNT }, (_, i) => `p-${String(i).padStart(5, '0')}`);

  before(async () => {
    store = await openMetadataStore(`sqlite:${join(dir.path, 'plugboard.db')}`);
    blobs = await FsBlobStore.open(join(dir.path, 'blobs'));
    await store.createDomain({ id: 'local-a', name: 'A' });
    await store.createDomain({ id: 'local-b', name: 'B' });
    for (const name of names) {
      await store.createPlugin('local-a', {
        name,
        manifest: { name },
        labels: name.endsWith('7') ? ['seven'] : [],
      });
    }
  });
  after(async () => {
    await store.close();
    dir.remove();
  });

  it('reads a window larger than one store page in chunks, with the right total', async () => {
    const source = new LocalSource(store, blobs);
    const whole = await source.list(scope, { offset: 0, limit: PLUGIN_COUNT + 10 });
    assert.equal(whole.total, PLUGIN_COUNT);
    assert.deepEqual(
      whole.plugins.map((plugin) => plugin.name),
      names,
    );
    const tail = await source.list(scope, { offset: MAX_PLUGIN_PAGE_LIMIT - 5, limit: 20 });
    assert.deepEqual(
      tail.plugins.map((plugin) => plugin.name),
      names.slice(MAX_PLUGIN_PAGE_LIMIT - 5, MAX_PLUGIN_PAGE_LIMIT + 15),
    );
    const past = await source.list(scope, { offset: PLUGIN_COUNT + 5, limit: 10 });
    assert.deepEqual(past, { plugins: [], total: PLUGIN_COUNT });
    const desc = await source.list(scope, { order: 'desc', limit: 3, label: 'seven' });
    assert.deepEqual(
      desc.plugins.map((plugin) => plugin.name),
      names
        .filter((name) => name.endsWith('7'))
        .reverse()
        .slice(0, 3),
    );
  });

  it('keeps only the given names under the other filters', async () => {
    const source = new LocalSource(store, blobs);
    const page = await source.list(scope, {
      names: ['p-00007', 'p-00008', 'p-00017', 'not-there'],
      label: 'seven',
      limit: 1,
    });
    assert.equal(page.total, 2);
    assert.deepEqual(
      page.plugins.map((plugin) => plugin.name),
      ['p-00007'],
    );
  });

  it('shows nothing to anonymous callers or another domain', async () => {
    const source = new LocalSource(store, blobs);
    assert.deepEqual(await source.list({ domainId: undefined }, {}), { plugins: [], total: 0 });
    assert.equal(await source.get({ domainId: undefined }, 'p-00001'), undefined);
    assert.equal((await source.list({ domainId: 'local-b' }, {})).total, 0);
    assert.equal(await source.get({ domainId: 'local-b' }, 'p-00001'), undefined);
  });

  it('streams a published artifact and merges image tags into versions', async () => {
    const content = Buffer.from('artifact bytes');
    const blob = await blobs.put(
      (async function* () {
        yield content;
      })(),
    );
    await store.publishVersion('local-a', {
      plugin: {
        name: 'imaged',
        manifest: { name: 'imaged' },
        image: { image: 'example/imaged' },
      },
      version: '1.0.0',
      manifest: { name: 'imaged', version: '1.0.0' },
      artifact: { digest: blob.digest, size: blob.size, mediaType: 'application/gzip' },
    });
    const source = new LocalSource(store, blobs, {
      imageVersions: fakeImageVersions({ 'example/imaged': ['1.0.0', '1.1.0', 'nightly'] }),
    });
    const detail = await source.get(scope, 'imaged');
    assert.deepEqual(
      detail?.versions.map((v) => [v.version, v.digest]),
      [
        ['1.1.0', undefined],
        ['1.0.0', blob.digest],
      ],
    );
    assert.equal(detail?.latest_version, '1.1.0');
    const artifact = await source.artifact(scope, 'imaged', '1.0.0');
    assert.equal(artifact?.digest, blob.digest);
    assert.equal(artifact?.mediaType, 'application/gzip');
    const chunks: Buffer[] = [];
    for await (const chunk of artifact?.stream ?? []) chunks.push(chunk as Buffer);
    assert.deepEqual(Buffer.concat(chunks), content);
    assert.equal(await source.artifact(scope, 'imaged', '1.1.0'), undefined);
    assert.equal((await source.manifest(scope, 'imaged', '1.1.0'))?.['version'], '1.1.0');
    assert.equal((await source.manifest(scope, 'imaged', '1.0.0'))?.['version'], '1.0.0');
    assert.equal(await source.manifest(scope, 'imaged', '3.0.0'), undefined);
  });
});
