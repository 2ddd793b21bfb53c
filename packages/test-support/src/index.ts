/**
 * Test helpers shared by Plugboard's packages. Not published; only tests import it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

/** True when CI asked that every optional dependency be present (`PLUGBOARD_TEST_REQUIRE_ALL=1`). */
export const REQUIRE_ALL = process.env['PLUGBOARD_TEST_REQUIRE_ALL'] === '1';

/**
 * Returns a `skip` option for tests that need a real dependency (PostgreSQL, docker-registry,
 * Chromium, unshare …): `false` when it is there, else the reason and how to enable it.
 * Under `PLUGBOARD_TEST_REQUIRE_ALL=1` a missing dependency also registers a failing test, so CI
 * can never pass by skipping.
 *
 * @example
 * const skip = skipUnlessAvailable('PostgreSQL', await canConnect(), 'start it on 127.0.0.1:5432');
 * test('store contract on PostgreSQL', { skip }, async () => { … });
 */
export function skipUnlessAvailable(
  dependency: string,
  available: boolean,
  howToEnable: string,
): string | false {
  if (available) return false;
  const reason = `${dependency} is not available; to run these tests: ${howToEnable}`;
  if (REQUIRE_ALL) {
    test(`${dependency} is available (required by PLUGBOARD_TEST_REQUIRE_ALL=1)`, () => {
      throw new Error(reason);
    });
  }
  return reason;
}

/** True when `command` runs and exits 0 with the given arguments. */
export function commandWorks(command: string, args: readonly string[] = ['--version']): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 });
  return result.status === 0;
}

/** A fresh temporary folder and a function that removes it. */
export function makeTempDir(prefix = 'plugboard-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export {
  POSTGRES_HOW_TO_ENABLE,
  findTestPostgresUrl,
  uniqueSchemaName,
  runSql,
  dropSchema,
  privateSchema,
} from './postgres.js';
