import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { DEFAULT_DOMAIN_ID } from '@plugboard/server';
import {
  POSTGRES_HOW_TO_ENABLE,
  findTestPostgresUrl,
  makeTempDir,
  privateSchema,
  runSql,
  skipUnlessAvailable,
} from '@plugboard/test-support';
import {
  ADMIN_TOKEN,
  startUpstreamRegistry,
  type UpstreamRegistry,
} from '../../helpers/registry-pair.js';

// A REMOTE repository's token is stored sealed (AES-256-GCM with the server's secret key), opened
// only to call the remote; tokens an older server stored in clear are sealed at start; a server
// started with another key says which repository it cannot use.

const KEY_ONE = 'the first secret key of this registry';
const KEY_TWO = 'another secret key, not the one used';

async function call(
  registry: UpstreamRegistry,
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const response = await fetch(`${registry.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${init.token ?? registry.readerToken}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as never), text };
}

interface StoredRow {
  readonly name: string;
  readonly token: string | null;
  readonly token_sealed: string | null;
}

function describeRow(row: StoredRow): string {
  return `token=${row.token ?? 'null'} sealed=${row.token_sealed ?? 'null'}`;
}

/** What the database holds for the domain's REMOTE repositories, read around the store. */
type RawRows = (database: string) => Promise<{ name: string; stored: string }[]>;

function tokenAtRestSuite(
  database: () => string,
  rawRows: RawRows,
  bytesAtRest?: () => string,
): void {
  let upstream: UpstreamRegistry;
  let farToken: string;
  const running: UpstreamRegistry[] = [];
  const start = async (secretKey: string) => {
    const registry = await startUpstreamRegistry({ database: database(), secretKey });
    running.push(registry);
    return registry;
  };
  const stop = async (registry: UpstreamRegistry) => {
    running.splice(running.indexOf(registry), 1);
    await registry.close();
  };

  before(async () => {
    upstream = await startUpstreamRegistry();
    farToken = upstream.readerToken;
    await upstream.publish('far-plugin', '1.0.0');
  });
  after(async () => {
    for (const registry of running.splice(0)) await registry.close();
    await upstream.close();
  });

  it('stores the token sealed, uses it, and reads clear rows of older servers', async () => {
    const home = await start(KEY_ONE);
    const added = await call(home, '/repositories', {
      method: 'POST',
      token: ADMIN_TOKEN,
      body: { name: 'upstream', endpoint: upstream.url, token: farToken },
    });
    assert.equal(added.status, 201, added.text);
    assert.equal(added.body['has_token'], true);
    assert.equal(added.text.includes(farToken), false);

    const rows = await rawRows(database());
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.stored.includes(farToken), false);
    assert.match(rows[0]?.stored ?? '', /^token=null sealed=v1:/);
    if (bytesAtRest !== undefined) assert.equal(bytesAtRest().includes(farToken), false);

    const detail = await call(home, '/plugins/far-plugin');
    assert.equal(detail.status, 200, detail.text);
    assert.equal(detail.body['repository_type'], 'REMOTE');

    // A row as servers before sealed tokens wrote it: the token in clear.
    await home.store.createRepository(DEFAULT_DOMAIN_ID, {
      name: 'legacy',
      endpoint: upstream.url,
      token: farToken,
      priority: 200,
    });
    assert.equal(
      (await rawRows(database())).filter((row) => row.stored.includes(farToken)).length,
      1,
    );
    await stop(home);

    // The next start seals it (before its first REMOTE read), and both remotes work.
    const restarted = await start(KEY_ONE);
    const list = await call(restarted, '/plugins');
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.body['warnings'], []);
    assert.equal(list.body['total'], 1);
    const after = await rawRows(database());
    assert.deepEqual(
      after.map((row) => [
        row.name,
        row.stored.includes(farToken),
        row.stored.startsWith('token=null sealed=v1:'),
      ]),
      [
        ['legacy', false, true],
        ['upstream', false, true],
      ],
    );
    await stop(restarted);
  });

  it('names the repository when the secret key is not the one its token was sealed with', async () => {
    const wrongKey = await start(KEY_TWO);
    const list = await call(wrongKey, '/plugins');
    assert.equal(list.status, 200, list.text);
    const warnings = list.body['warnings'] as string[];
    for (const name of ['upstream', 'legacy']) {
      const warning = warnings.find((text) => text.includes(`REMOTE repository "${name}"`));
      assert.ok(warning !== undefined, `a warning names ${name}: ${JSON.stringify(warnings)}`);
      assert.match(warning, /cannot be decrypted/);
      assert.match(warning, /secret key/);
    }
    const detail = await call(wrongKey, '/plugins/far-plugin');
    assert.equal(detail.status, 503, detail.text);
    assert.match(detail.text, /REMOTE repository \\?"(upstream|legacy)\\?".*cannot be decrypted/);
    assert.equal(list.text.includes(farToken) || detail.text.includes(farToken), false);
  });
}

describe('REMOTE tokens at rest on SQLite', () => {
  const folder = makeTempDir('plugboard-token-at-rest-');
  const file = join(folder.path, 'metadata.db');
  after(() => folder.remove());
  tokenAtRestSuite(
    () => `sqlite:${file}`,
    async () => {
      const db = new Database(file, { readonly: true });
      try {
        const rows = db
          .prepare('select name, token, token_sealed from remote_repositories order by name')
          .all() as StoredRow[];
        return rows.map((row) => ({ name: row.name, stored: describeRow(row) }));
      } finally {
        db.close();
      }
    },
    // The database file and its write-ahead log as bytes.
    () =>
      [file, `${file}-wal`]
        .filter((path) => existsSync(path))
        .map((path) => readFileSync(path).toString('latin1'))
        .join(''),
  );
});

const postgresUrl = await findTestPostgresUrl();
const skip = skipUnlessAvailable('PostgreSQL', postgresUrl !== undefined, POSTGRES_HOW_TO_ENABLE);

describe('REMOTE tokens at rest on PostgreSQL', { skip }, () => {
  const schema = privateSchema(postgresUrl ?? 'postgres://unavailable');
  after(() => schema.drop());
  tokenAtRestSuite(
    () => schema.url,
    async () => {
      const result = await runSql(
        postgresUrl ?? '',
        `select name, token, token_sealed from "${schema.schema}".remote_repositories order by name`,
      );
      return (result.rows as StoredRow[]).map((row) => ({
        name: row.name,
        stored: describeRow(row),
      }));
    },
  );
});
