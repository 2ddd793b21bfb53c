import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Migrator } from 'kysely';
import { migrateToLatest } from '../../src/kysely/migrations/migrate-to-latest.js';

/** A migrator that answers the given results in turn (injected: no database needed). */
function scripted(answers: { error?: unknown; names?: string[] }[]): {
  create: () => Migrator;
  calls: () => number;
} {
  let calls = 0;
  const create = () =>
    ({
      migrateToLatest: async () => {
        const answer = answers[Math.min(calls, answers.length - 1)] ?? {};
        calls += 1;
        return {
          error: answer.error,
          results: (answer.names ?? []).map((migrationName) => ({
            migrationName,
            direction: 'Up',
            status: 'Success',
          })),
        };
      },
    }) as unknown as Migrator;
  return { create, calls: () => calls };
}

const otherSchemaDropped = Object.assign(new Error('schema "pb_test_x" does not exist'), {
  code: '3F000',
});

test('a migration that lost a race with another schema being dropped is retried', async () => {
  const migrator = scripted([{ error: otherSchemaDropped }, { names: ['0001-initial-schema'] }]);
  assert.deepEqual(await migrateToLatest(migrator.create), ['0001-initial-schema']);
  assert.equal(migrator.calls(), 2);
});

test('other failures, and a race that keeps failing, are thrown', async () => {
  const broken = scripted([{ error: Object.assign(new Error('syntax error'), { code: '42601' }) }]);
  await assert.rejects(migrateToLatest(broken.create), /syntax error/);
  assert.equal(broken.calls(), 1);
  const racing = scripted([{ error: otherSchemaDropped }]);
  await assert.rejects(migrateToLatest(racing.create), /does not exist/);
  assert.equal(racing.calls(), 4);
});
