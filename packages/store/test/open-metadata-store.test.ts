import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMetadataStoreUrl } from '@plugboard/store';
import { codeOf } from './metadata/contract/store-fixtures.js';

describe('parseMetadataStoreUrl', () => {
  it('reads SQLite paths and :memory:', () => {
    assert.deepEqual(parseMetadataStoreUrl('sqlite:/var/lib/plugboard/plugboard.db'), {
      backend: 'sqlite',
      path: '/var/lib/plugboard/plugboard.db',
    });
    assert.deepEqual(parseMetadataStoreUrl('sqlite:///var/lib/x.db'), {
      backend: 'sqlite',
      path: '/var/lib/x.db',
    });
    assert.deepEqual(parseMetadataStoreUrl('sqlite:plugboard-data/plugboard.db'), {
      backend: 'sqlite',
      path: 'plugboard-data/plugboard.db',
    });
    assert.deepEqual(parseMetadataStoreUrl('sqlite::memory:'), {
      backend: 'sqlite',
      path: ':memory:',
    });
  });

  it('reads PostgreSQL URLs and takes the schema out of the query', () => {
    assert.deepEqual(
      parseMetadataStoreUrl('postgres://u:p@db:5432/reg?schema=tenant_1&sslmode=disable'),
      {
        backend: 'postgres',
        connectionString: 'postgres://u:p@db:5432/reg?sslmode=disable',
        schema: 'tenant_1',
      },
    );
    assert.deepEqual(parseMetadataStoreUrl('postgresql://db/reg'), {
      backend: 'postgres',
      connectionString: 'postgresql://db/reg',
      schema: undefined,
    });
  });

  it('refuses anything else with CONFIG_INVALID, never echoing the URL', async () => {
    for (const url of ['mysql://u:hunter2@db/x', 'sqlite:', 'db.sqlite', '']) {
      const error = await codeOf(Promise.resolve().then(() => parseMetadataStoreUrl(url)));
      assert.equal(error, 'CONFIG_INVALID', url);
    }
    try {
      parseMetadataStoreUrl('mysql://u:hunter2@db/x');
    } catch (error) {
      assert.equal((error as Error).message.includes('hunter2'), false);
    }
  });
});
