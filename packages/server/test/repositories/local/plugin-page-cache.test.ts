import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  FsBlobStore,
  openMetadataStore,
  type BlobStore,
  type MetadataStore,
} from '@plugboard/store';
import { makeTempDir } from '@plugboard/test-support';
import { LocalSource } from '../../../src/repositories/local/local-source.js';

/** The store with `listPlugins` calls counted (constructor injection, no module mock). */
function countingLists(store: MetadataStore): { store: MetadataStore; lists: () => number } {
  let lists = 0;
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'listPlugins') {
        return (...args: Parameters<MetadataStore['listPlugins']>) => {
          lists += 1;
          return target.listPlugins(...args);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value.bind(target) as unknown) : value;
    },
  });
  return { store: counted, lists: () => lists };
}

describe('LocalSource cache of list pages', () => {
  const dir = makeTempDir('plugboard-pages-');
  let store: MetadataStore;
  let blobs: BlobStore;
  const scope = { domainId: 'pages' };

  before(async () => {
    store = await openMetadataStore(`sqlite:${join(dir.path, 'plugboard.db')}`);
    blobs = await FsBlobStore.open(join(dir.path, 'blobs'));
    await store.createDomain({ id: 'pages', name: 'Pages' });
    await store.createDomain({ id: 'other', name: 'Other' });
    for (const name of ['vmware-a', 'vmware-b', 'aws-c']) {
      await store.createPlugin('pages', { name, manifest: { name } });
    }
  });
  after(async () => {
    await store.close();
    dir.remove();
  });

  it('answers a repeated search from the cache, and a changed domain from the store', async () => {
    const counted = countingLists(store);
    const source = new LocalSource(counted.store, blobs);
    const names = async (query: Parameters<LocalSource['list']>[1]): Promise<string[]> =>
      (await source.list(scope, query)).plugins.map((plugin) => plugin.name);

    assert.deepEqual(await names({ q: 'vmware' }), ['vmware-a', 'vmware-b']);
    assert.deepEqual(await names({ q: 'vmware' }), ['vmware-a', 'vmware-b']);
    assert.equal(counted.lists(), 1);
    assert.deepEqual(await names({ q: 'vmware', limit: 1 }), ['vmware-a']);
    assert.equal(counted.lists(), 2, 'another query is another page');

    // Another domain's change leaves this domain's pages cached.
    await store.createPlugin('other', { name: 'vmware-other', manifest: { name: 'vmware-other' } });
    assert.deepEqual(await names({ q: 'vmware' }), ['vmware-a', 'vmware-b']);
    assert.equal(counted.lists(), 2);

    await store.createPlugin('pages', { name: 'vmware-new', manifest: { name: 'vmware-new' } });
    assert.deepEqual(await names({ q: 'vmware' }), ['vmware-a', 'vmware-b', 'vmware-new']);
    await store.updatePlugin('pages', 'aws-c', { labels: ['vmware-ready'] });
    assert.deepEqual(await names({ q: 'vmware' }), ['aws-c', 'vmware-a', 'vmware-b', 'vmware-new']);
    await store.setPluginEnabled('pages', 'vmware-a', false);
    assert.deepEqual(await names({ q: 'vmware', state: 'enabled' }), [
      'aws-c',
      'vmware-b',
      'vmware-new',
    ]);
    await store.deletePlugin('pages', 'vmware-b');
    const page = await source.list(scope, { q: 'vmware' });
    assert.deepEqual(
      page.plugins.map((plugin) => plugin.name),
      ['aws-c', 'vmware-a', 'vmware-new'],
    );
    assert.equal(page.total, 3);
  });
});
