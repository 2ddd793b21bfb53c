import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  FsBlobStore,
  openMetadataStore,
  type BlobStore,
  type MetadataStore,
} from '@plugboard/store';
import {
  makeTempDir,
  skipUnlessAvailable,
  findTestPostgresUrl,
  POSTGRES_HOW_TO_ENABLE,
  privateSchema,
} from '@plugboard/test-support';
import { LocalSource } from '../../../src/repositories/local/local-source.js';

/** The store with `listVersions` calls counted (constructor injection, no module mock). */
function countingVersionReads(store: MetadataStore): {
  store: MetadataStore;
  reads: () => number;
} {
  let reads = 0;
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'listVersions') {
        return (domainId: string, name: string) => {
          reads += 1;
          return target.listVersions(domainId, name);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value.bind(target) as unknown) : value;
    },
  });
  return { store: counted, reads: () => reads };
}

async function putBlob(blobs: BlobStore, text: string): ReturnType<BlobStore['put']> {
  return blobs.put(
    (async function* () {
      yield Buffer.from(text);
    })(),
  );
}

async function publish(
  store: MetadataStore,
  blobs: BlobStore,
  domainId: string,
  name: string,
  version: string,
): Promise<void> {
  const blob = await putBlob(blobs, `${name}@${version}`);
  await store.publishVersion(domainId, {
    plugin: { name, manifest: { name } },
    version,
    manifest: { name, version },
    artifact: { digest: blob.digest, size: blob.size, mediaType: 'application/gzip' },
  });
}

describe('LocalSource cache of plugin facts', () => {
  const dir = makeTempDir('plugboard-facts-');
  let store: MetadataStore;
  let blobs: BlobStore;
  const scope = { domainId: 'facts' };

  before(async () => {
    store = await openMetadataStore(`sqlite:${join(dir.path, 'plugboard.db')}`);
    blobs = await FsBlobStore.open(join(dir.path, 'blobs'));
    await store.createDomain({ id: 'facts', name: 'Facts' });
  });
  after(async () => {
    await store.close();
    dir.remove();
  });

  it('reads a plugin once, then answers detail and list from the cache', async () => {
    await publish(store, blobs, 'facts', 'once', '1.0.0');
    const counted = countingVersionReads(store);
    const source = new LocalSource(counted.store, blobs);
    for (let i = 0; i < 3; i += 1) {
      assert.equal((await source.get(scope, 'once'))?.latest_version, '1.0.0');
      const page = await source.list(scope, { q: 'once' });
      assert.equal(page.plugins[0]?.latest_version, '1.0.0');
    }
    assert.equal(counted.reads(), 1);
  });

  it('shows every version, yank, dist-tag, record change and deletion at once', async () => {
    const source = new LocalSource(store, blobs);
    const latestInList = async (): Promise<string | undefined> =>
      (await source.list(scope, { q: 'changing' })).plugins[0]?.latest_version;
    await publish(store, blobs, 'facts', 'changing', '1.0.0');
    assert.equal((await source.get(scope, 'changing'))?.latest_version, '1.0.0');
    assert.equal(await latestInList(), '1.0.0');

    await publish(store, blobs, 'facts', 'changing', '1.1.0');
    assert.deepEqual(
      (await source.get(scope, 'changing'))?.versions.map((v) => v.version),
      ['1.1.0', '1.0.0'],
    );
    assert.equal(await latestInList(), '1.1.0');

    await store.yankVersion('facts', 'changing', '1.1.0', 'broken');
    assert.equal((await source.get(scope, 'changing'))?.versions[0]?.yanked, true);
    assert.equal(await latestInList(), '1.0.0');

    await store.setDistTag('facts', 'changing', 'stable', '1.0.0');
    assert.equal((await source.get(scope, 'changing'))?.dist_tags['stable'], '1.0.0');

    await store.updatePlugin('facts', 'changing', { description: 'now described' });
    assert.equal((await source.get(scope, 'changing'))?.description, 'now described');
    assert.equal(
      (await source.list(scope, { q: 'changing' })).plugins[0]?.description,
      'now described',
    );

    await store.deletePlugin('facts', 'changing');
    assert.equal(await source.get(scope, 'changing'), undefined);
    assert.equal((await source.list(scope, { q: 'changing' })).total, 0);
  });

  it('does not remember an absent plugin: one created later is found', async () => {
    const source = new LocalSource(store, blobs);
    assert.equal(await source.get(scope, 'later'), undefined);
    await publish(store, blobs, 'facts', 'later', '2.0.0');
    assert.equal((await source.get(scope, 'later'))?.latest_version, '2.0.0');
  });
});

const postgresUrl = await findTestPostgresUrl();
const skip = skipUnlessAvailable('PostgreSQL', postgresUrl !== undefined, POSTGRES_HOW_TO_ENABLE);

describe('LocalSource cache across replicas (PostgreSQL change feed)', { skip }, () => {
  it('drops a cached plugin when another replica publishes a version', async () => {
    const dir = makeTempDir('plugboard-facts-pg-');
    const schema = privateSchema(postgresUrl ?? '');
    const here = await openMetadataStore(schema.url);
    const there = await openMetadataStore(schema.url);
    try {
      const blobs = await FsBlobStore.open(join(dir.path, 'blobs'));
      await here.createDomain({ id: 'facts', name: 'Facts' });
      await publish(here, blobs, 'facts', 'shared', '1.0.0');
      const source = new LocalSource(here, blobs);
      assert.equal((await source.get({ domainId: 'facts' }, 'shared'))?.latest_version, '1.0.0');
      await publish(there, blobs, 'facts', 'shared', '1.1.0');
      const deadline = Date.now() + 10_000;
      let latest: string | undefined;
      while (latest !== '1.1.0' && Date.now() < deadline) {
        latest = (await source.get({ domainId: 'facts' }, 'shared'))?.latest_version;
        if (latest !== '1.1.0') await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(latest, '1.1.0', "the other replica's version never showed here");
    } finally {
      await there.close();
      await here.close();
      await schema.drop();
      dir.remove();
    }
  });
});
