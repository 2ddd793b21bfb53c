import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openMetadataStore, openProviderStore } from '@plugboard/store';
import { makeTempDir } from '@plugboard/test-support';
import { providerStoreContract, type ProviderHarnessFactory } from './provider-store-contract.js';
import { resourceIngestContract } from './resource-ingest-contract.js';

const sqliteHarness: ProviderHarnessFactory = () => {
  const dir = makeTempDir('plugboard-provider-store-');
  const url = `sqlite:${join(dir.path, 'plugboard.db')}`;
  return Promise.resolve({
    open: (options) => openProviderStore(url, options),
    destroy: () => Promise.resolve(dir.remove()),
  });
};

describe('ProviderStore contract on SQLite', () => providerStoreContract(sqliteHarness));

describe('Resource ingest on SQLite', () => resourceIngestContract(sqliteHarness));

describe('ProviderStore on SQLite', () => {
  it('shares the database file with the metadata store, each with its own migrations', async () => {
    const dir = makeTempDir('plugboard-provider-store-');
    const url = `sqlite:${join(dir.path, 'plugboard.db')}`;
    try {
      const metadata = await openMetadataStore(url);
      const providers = await openProviderStore(url);
      const again = await openProviderStore(url);
      try {
        await metadata.createDomain({ id: 'a', name: 'A' });
        const created = await providers.createProvider('a', {
          name: 'vc',
          vendor: 'v',
          providerType: 't',
          config: {},
          secretKeys: [],
        });
        assert.equal((await again.getProvider('a', created.id))?.name, 'vc');
        assert.equal((await metadata.getDomain('a'))?.name, 'A');
      } finally {
        await again.close();
        await providers.close();
        await metadata.close();
      }
    } finally {
      dir.remove();
    }
  });
});
