import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { LogFields, StoreChange, StoreLogger } from '@plugboard/store';
import {
  DOMAIN_A,
  codeOf,
  pluginInput,
  publishInput,
  steppingClock,
  withStore,
  type HarnessFactory,
} from './store-fixtures.js';

/** A logger that keeps what it is told. */
function recordingLogger(): StoreLogger & {
  records: { level: string; fields: LogFields; message?: string }[];
} {
  const records: { level: string; fields: LogFields; message?: string }[] = [];
  const at =
    (level: string) =>
    (fields: LogFields, message?: string): void => {
      records.push({ level, fields, ...(message === undefined ? {} : { message }) });
    };
  return { records, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Change notification, migrations, ping and close. */
export function lifecycleContract(factory: HarnessFactory): void {
  it('tells listeners about committed writes only, after commit', async () => {
    await withStore(factory, async (store) => {
      const changes: StoreChange[] = [];
      const stop = store.onChange((change) => changes.push(change));
      const thrower = store.onChange(() => {
        throw new Error('a broken listener must not break writes');
      });

      await store.publishVersion(DOMAIN_A, publishInput('watched', '1.0.0'));
      assert.deepEqual(
        changes.map((change) =>
          change.entity === 'all' ? 'all' : `${change.entity}:${change.action}:${change.local}`,
        ),
        ['plugin:created:true', 'version:created:true'],
      );

      changes.length = 0;
      assert.equal(
        await codeOf(store.publishVersion(DOMAIN_A, publishInput('watched', '1.0.0'))),
        'ALREADY_EXISTS',
      );
      assert.deepEqual(changes, [], 'a rolled-back write announces nothing');

      await store.setDistTag(DOMAIN_A, 'watched', 'latest', '1.0.0');
      assert.deepEqual(changes, [
        {
          entity: 'dist-tag',
          action: 'updated',
          domainId: DOMAIN_A,
          key: 'watched',
          tag: 'latest',
          local: true,
        },
      ]);

      stop();
      thrower();
      changes.length = 0;
      await store.createPlugin(DOMAIN_A, pluginInput('unwatched'));
      assert.deepEqual(changes, []);
    });
  });

  it('applies migrations once: reopening finds nothing to do and keeps the data', async () => {
    const harness = await factory();
    try {
      const firstLog = recordingLogger();
      const first = await harness.open({ logger: firstLog, now: steppingClock() });
      await first.createDomain({ id: DOMAIN_A, name: 'A' });
      await first.createPlugin(DOMAIN_A, pluginInput('kept'));
      await first.close();
      assert.deepEqual(
        firstLog.records.filter((record) => record.message === 'metadata store migrated'),
        [
          {
            level: 'info',
            fields: { applied: ['0001-initial-schema', '0002-registry-identity-sealed-tokens'] },
            message: 'metadata store migrated',
          },
        ],
      );

      const secondLog = recordingLogger();
      const second = await harness.open({ logger: secondLog });
      try {
        assert.deepEqual(
          secondLog.records.filter((record) => record.message === 'metadata store migrated'),
          [],
        );
        assert.deepEqual(await second.migrate(), []);
        assert.equal((await second.getPlugin(DOMAIN_A, 'kept'))?.name, 'kept');
      } finally {
        await second.close();
      }
    } finally {
      await harness.destroy();
    }
  });

  it('answers ping while open and fails with UNAVAILABLE after close', async () => {
    const harness = await factory();
    try {
      const store = await harness.open();
      await store.ping();
      await store.close();
      await store.close();
      assert.equal(await codeOf(store.ping()), 'UNAVAILABLE');
      assert.equal(await codeOf(store.listDomains()), 'UNAVAILABLE');
      assert.equal(await codeOf(store.createDomain({ id: 'late', name: 'x' })), 'UNAVAILABLE');
    } finally {
      await harness.destroy();
    }
  });
}
