import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openProviderStore, type ProviderStore } from '@plugboard/store';
import {
  skipUnlessAvailable,
  POSTGRES_HOW_TO_ENABLE,
  dropSchema,
  findTestPostgresUrl,
  runSql,
  uniqueSchemaName,
} from '@plugboard/test-support';
import { providerStoreContract, type ProviderHarnessFactory } from './provider-store-contract.js';
import { resourceIngestContract } from './resource-ingest-contract.js';

const url = await findTestPostgresUrl();
const skip = skipUnlessAvailable('PostgreSQL', url !== undefined, POSTGRES_HOW_TO_ENABLE);
const databaseUrl = url ?? 'postgres://unavailable';

const postgresHarness: ProviderHarnessFactory = () => {
  const schema = uniqueSchemaName();
  return Promise.resolve({
    open: (options) => openProviderStore(`${databaseUrl}?schema=${schema}`, options),
    destroy: () => dropSchema(databaseUrl, schema),
  });
};

describe('ProviderStore contract on PostgreSQL', { skip }, () =>
  providerStoreContract(postgresHarness),
);

describe('Resource ingest on PostgreSQL', { skip }, () => resourceIngestContract(postgresHarness));

describe('ProviderStore on PostgreSQL', { skip }, () => {
  it('never gives one run to two workers claiming at once (FOR UPDATE SKIP LOCKED)', async () => {
    const schema = uniqueSchemaName();
    const storeUrl = `${databaseUrl}?schema=${schema}`;
    const stores: ProviderStore[] = await Promise.all(
      Array.from({ length: 3 }, () => openProviderStore(storeUrl)),
    );
    try {
      const [first] = stores;
      assert.ok(first !== undefined);
      const queued: string[] = [];
      for (let i = 0; i < 20; i += 1) {
        const provider = await first.createProvider('a', {
          name: `p${i}`,
          vendor: 'v',
          providerType: 't',
          config: {},
          secretKeys: [],
        });
        queued.push((await first.createRun('a', provider.id)).id);
      }
      // Six claimers over three pools, each claiming until nothing is left.
      const claimedBy = new Map<string, string[]>();
      await Promise.all(
        Array.from({ length: 6 }, async (_, worker) => {
          const store = stores[worker % stores.length];
          assert.ok(store !== undefined);
          for (;;) {
            const run = await store.claimRun(`w${worker}`);
            if (run === undefined) return;
            claimedBy.set(run.id, [...(claimedBy.get(run.id) ?? []), `w${worker}`]);
          }
        }),
      );
      assert.deepEqual([...claimedBy.keys()].sort(), [...queued].sort());
      for (const [id, workers] of claimedBy) assert.equal(workers.length, 1, `run ${id}`);
      const rows = await runSql(
        databaseUrl,
        `select count(*)::int as n from "${schema}".collection_runs where state = 'running'`,
      );
      assert.equal((rows.rows[0] as { n: number }).n, 20);
      const migrations = await runSql(
        databaseUrl,
        `select name from "${schema}".plugboard_provider_migration`,
      );
      assert.deepEqual(
        migrations.rows.map((row: { name: string }) => row.name),
        [
          '0001-providers-runs-resources',
          '0002-resources-fillfactor',
          '0003-resources-provider-lock',
        ],
        'three stores opening together migrated once',
      );
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      await dropSchema(databaseUrl, schema);
    }
  });
});
