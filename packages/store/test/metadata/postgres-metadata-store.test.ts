import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  openMetadataStore,
  openPostgresMetadataStore,
  type MetadataStore,
  type StoreChange,
} from '@plugboard/store';
import {
  skipUnlessAvailable,
  POSTGRES_HOW_TO_ENABLE,
  dropSchema,
  findTestPostgresUrl,
  runSql,
  uniqueSchemaName,
} from '@plugboard/test-support';
import { codeOf, pluginInput, publishInput } from './contract/store-fixtures.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { metadataStoreContract, type HarnessFactory } from './metadata-store-contract.js';

/** Generous: notifications cross a real connection on a busy two-core machine. */
const NOTIFICATION_TIMEOUT_MS = 15_000;

const url = await findTestPostgresUrl();
const skip = skipUnlessAvailable('PostgreSQL', url !== undefined, POSTGRES_HOW_TO_ENABLE);
const databaseUrl = url ?? 'postgres://unavailable';

/** Each test gets its own schema, dropped afterwards, so parallel runs never collide. */
const postgresHarness: HarnessFactory = () => {
  const schema = uniqueSchemaName();
  return Promise.resolve({
    open: (options) => openPostgresMetadataStore(databaseUrl, { ...options, schema }),
    destroy: () => dropSchema(databaseUrl, schema),
  });
};

/** Resolves with the first change `store` hears that matches, or rejects after a timeout. */
function nextChange(
  store: MetadataStore,
  matches: (change: StoreChange) => boolean,
): Promise<StoreChange> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no matching change within ${NOTIFICATION_TIMEOUT_MS} ms`));
    }, NOTIFICATION_TIMEOUT_MS);
    const stop = store.onChange((change) => {
      if (!matches(change)) return;
      clearTimeout(timer);
      stop();
      resolve(change);
    });
  });
}

describe('MetadataStore contract on PostgreSQL', { skip }, () =>
  metadataStoreContract(postgresHarness),
);

describe('PostgreSQL backend', { skip }, () => {
  it('tells a second store instance on the same schema about writes (LISTEN/NOTIFY)', async () => {
    const schema = uniqueSchemaName();
    const writer = await openPostgresMetadataStore(databaseUrl, { schema });
    const reader = await openPostgresMetadataStore(databaseUrl, { schema });
    try {
      const writerChanges: StoreChange[] = [];
      writer.onChange((change) => writerChanges.push(change));
      const readerChanges: StoreChange[] = [];
      reader.onChange((change) => readerChanges.push(change));
      const describeChange = (change: StoreChange) =>
        change.entity === 'all' ? 'all' : `${change.entity}:${change.key}:${change.local}`;

      await writer.createDomain({ id: 'a', name: 'A' });
      const heard = nextChange(reader, (change) => change.entity === 'version');
      await writer.publishVersion('a', publishInput('shared', '1.0.0'));
      assert.deepEqual(await heard, {
        entity: 'version',
        action: 'created',
        domainId: 'a',
        key: 'shared',
        version: '1.0.0',
        tag: undefined,
        local: false,
      });
      // What the reader heard about is already visible to it.
      assert.equal((await reader.getVersion('a', 'shared', '1.0.0'))?.version, '1.0.0');

      // A rolled-back write is never announced: only the next successful one arrives.
      const after = nextChange(
        reader,
        (change) => change.entity === 'plugin' && change.key === 'later',
      );
      assert.equal(
        await codeOf(writer.publishVersion('a', publishInput('shared', '1.0.0'))),
        'ALREADY_EXISTS',
      );
      await writer.createPlugin('a', pluginInput('later'));
      await after;
      // Notifications arrive in commit order, so everything before "later" has arrived too.
      assert.deepEqual(readerChanges.map(describeChange), [
        'domain:a:false',
        'plugin:shared:false',
        'version:shared:false',
        'plugin:later:false',
      ]);
      // Give the writer's own LISTEN connection time to receive the same notifications; it must
      // drop them (it already emitted its changes as local), so nothing is doubled.
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(writerChanges.map(describeChange), [
        'domain:a:true',
        'plugin:shared:true',
        'version:shared:true',
        'plugin:later:true',
      ]);
    } finally {
      await writer.close();
      await reader.close();
      await dropSchema(databaseUrl, schema);
    }
  });

  it('re-listens after its LISTEN connection is killed and asks listeners to resync', async () => {
    const schema = uniqueSchemaName();
    const writer = await openPostgresMetadataStore(databaseUrl, { schema });
    const reader = await openPostgresMetadataStore(databaseUrl, { schema });
    try {
      await writer.createDomain({ id: 'a', name: 'A' });
      const resync = nextChange(reader, (change) => change.entity === 'all');
      const killed = await runSql(
        databaseUrl,
        `select pg_terminate_backend(pid) as killed from pg_stat_activity
          where query = $1 and pid <> pg_backend_pid()`,
        [`LISTEN "plugboard_changes_${schema}"`],
      );
      assert.equal(killed.rowCount, 2, 'both instances had a LISTEN connection');
      assert.deepEqual(await resync, { entity: 'all', action: 'resync', local: false });

      const heard = nextChange(reader, (change) => change.entity === 'plugin');
      await writer.createPlugin('a', pluginInput('after-reconnect'));
      const change = await heard;
      assert.equal(change.entity === 'plugin' ? change.key : change.entity, 'after-reconnect');
    } finally {
      await writer.close();
      await reader.close();
      await dropSchema(databaseUrl, schema);
    }
  });

  it('reports a database that goes away as UNAVAILABLE and recovers when it returns', async () => {
    const schema = uniqueSchemaName();
    const target = new URL(databaseUrl);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.restore();
    const viaProxy = new URL(databaseUrl);
    viaProxy.port = String(proxy.port);
    const store = await openPostgresMetadataStore(viaProxy.toString(), {
      schema,
      connectTimeoutMs: 2_000,
    });
    try {
      await store.createDomain({ id: 'a', name: 'A' });
      const resync = nextChange(store, (change) => change.entity === 'all');

      await proxy.cut();
      const attempts = [
        () => store.ping(),
        () => store.listPlugins('a'),
        () => store.createPlugin('a', pluginInput('lost')),
      ];
      for (const attempt of attempts) {
        const error = await attempt().then(
          () => undefined,
          (caught: unknown) => caught as Error & { code?: string },
        );
        assert.equal(error?.code, 'UNAVAILABLE');
        assert.equal(error?.name, 'PlugboardError');
      }

      await proxy.restore();
      await store.createPlugin('a', pluginInput('back'));
      assert.equal((await store.getPlugin('a', 'back'))?.name, 'back');
      assert.equal(await store.getPlugin('a', 'lost'), undefined);
      // The LISTEN connection came back too, and said notifications may have been missed.
      assert.deepEqual(await resync, { entity: 'all', action: 'resync', local: false });
    } finally {
      await store.close();
      await proxy.cut();
      await dropSchema(databaseUrl, schema);
    }
  });

  it('lets replicas start together on an empty schema: migrations run once', async () => {
    const schema = uniqueSchemaName();
    const opened = await Promise.allSettled(
      Array.from({ length: 3 }, () => openPostgresMetadataStore(databaseUrl, { schema })),
    );
    const stores = opened.flatMap((result) =>
      result.status === 'fulfilled' ? [result.value] : [],
    );
    try {
      assert.deepEqual(
        opened.filter((result) => result.status === 'rejected'),
        [],
      );
      const rows = await runSql(databaseUrl, `select name from "${schema}".plugboard_migration`);
      assert.deepEqual(
        rows.rows.map((row: { name: string }) => row.name),
        ['0001-initial-schema', '0002-registry-identity-sealed-tokens'],
      );
      await stores[0]?.createDomain({ id: 'a', name: 'A' });
      assert.equal((await stores[2]?.getDomain('a'))?.name, 'A');
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      await dropSchema(databaseUrl, schema);
    }
  });

  it('sorts names byte-wise whatever the database collation', async () => {
    const schema = uniqueSchemaName();
    const store = await openMetadataStore(`${databaseUrl}?schema=${schema}`);
    try {
      assert.equal(store.backend, 'postgres');
      await store.createDomain({ id: 'a', name: 'A' });
      for (const name of ['ab', 'a_b', 'a-b', 'a.b', 'a0']) {
        await store.createPlugin('a', pluginInput(name));
      }
      const page = await store.listPlugins('a');
      assert.deepEqual(
        page.plugins.map((plugin) => plugin.name),
        ['a-b', 'a.b', 'a0', 'a_b', 'ab'],
      );
      // This machine's database may already sort byte-wise (C.UTF-8), so also check that the
      // column carries its own collation and that a locale collation would order these differently.
      const column = await runSql(
        databaseUrl,
        `select collation_name from information_schema.columns
          where table_schema = $1 and table_name = 'plugins' and column_name = 'name'`,
        [schema],
      );
      assert.equal((column.rows[0] as { collation_name: string }).collation_name, 'C');
      const icu = await runSql(
        databaseUrl,
        `select name from "${schema}".plugins order by name collate "en-US-x-icu"`,
      ).catch(() => undefined);
      if (icu !== undefined) {
        assert.notDeepEqual(
          icu.rows.map((row: { name: string }) => row.name),
          ['a-b', 'a.b', 'a0', 'a_b', 'ab'],
        );
      }
    } finally {
      await store.close();
      await dropSchema(databaseUrl, schema);
    }
  });
});

describe('PostgreSQL that cannot be reached', () => {
  it('fails to open with UNAVAILABLE and no driver error', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const error = await openMetadataStore('postgres://postgres@127.0.0.1:1/test').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    assert.equal((error as { code?: string }).code, 'UNAVAILABLE');
    assert.equal((error as Error).name, 'PlugboardError');
    assert.equal((error as Error).message.includes('127.0.0.1'), false);
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    assert.equal(
      await codeOf(openPostgresMetadataStore('postgres://127.0.0.1:1/x', { schema: 'a"; drop' })),
      'CONFIG_INVALID',
    );
  });
});
