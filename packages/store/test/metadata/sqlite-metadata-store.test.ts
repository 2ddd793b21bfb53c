import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { openMetadataStore, openSqliteMetadataStore } from '@plugboard/store';
import { makeTempDir } from '@plugboard/test-support';
import { codeOf, pluginInput } from './contract/store-fixtures.js';
import { metadataStoreContract, type HarnessFactory } from './metadata-store-contract.js';

/** The package folder, where `better-sqlite3` resolves from (this file is dist/test/metadata/…). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Each test gets its own database file in its own temp dir. */
const sqliteHarness: HarnessFactory = () => {
  const dir = makeTempDir('plugboard-store-sqlite-');
  const path = join(dir.path, 'data', 'plugboard.db');
  return Promise.resolve({
    open: (options) => openSqliteMetadataStore(path, options),
    destroy: () => Promise.resolve(dir.remove()),
  });
};

describe('MetadataStore contract on SQLite', () => metadataStoreContract(sqliteHarness));

describe('SQLite backend', () => {
  it('creates the file and its folder, in WAL mode with foreign keys', async () => {
    const dir = makeTempDir('plugboard-store-sqlite-');
    try {
      const path = join(dir.path, 'nested', 'plugboard.db');
      const store = await openMetadataStore(`sqlite:${path}`);
      await store.createDomain({ id: 'a', name: 'A' });
      await store.close();
      const database = new BetterSqlite3(path, { readonly: true });
      try {
        assert.equal(database.pragma('journal_mode', { simple: true }), 'wal');
        const tables = database
          .prepare("select name from sqlite_master where type = 'table' order by name")
          .all() as { name: string }[];
        assert.ok(tables.some((table) => table.name === 'plugin_versions'));
        assert.ok(tables.some((table) => table.name === 'plugboard_migration'));
      } finally {
        database.close();
      }
    } finally {
      dir.remove();
    }
  });

  it('opens an in-memory store from sqlite::memory:', async () => {
    const store = await openMetadataStore('sqlite::memory:');
    try {
      assert.equal(store.backend, 'sqlite');
      await store.createDomain({ id: 'mem', name: 'Memory' });
      await store.createPlugin('mem', pluginInput('in-memory'));
      assert.equal((await store.listPlugins('mem')).total, 1);
    } finally {
      await store.close();
    }
  });

  it('reports a file it cannot open as UNAVAILABLE', async () => {
    const dir = makeTempDir('plugboard-store-sqlite-');
    try {
      const blocker = join(dir.path, 'not-a-folder');
      writeFileSync(blocker, 'a file where a folder should be');
      assert.equal(
        await codeOf(openSqliteMetadataStore(join(blocker, 'plugboard.db'))),
        'UNAVAILABLE',
      );
      const garbage = join(dir.path, 'garbage.db');
      writeFileSync(
        garbage,
        'this is not a SQLite database, just some text that is long enough'.repeat(20),
      );
      assert.equal(await codeOf(openSqliteMetadataStore(garbage)), 'UNAVAILABLE');
    } finally {
      dir.remove();
    }
  });

  it('waits for another process holding the write lock instead of failing', async () => {
    const dir = makeTempDir('plugboard-store-sqlite-');
    const path = join(dir.path, 'plugboard.db');
    const store = await openSqliteMetadataStore(path);
    try {
      await store.createDomain({ id: 'a', name: 'A' });
      // Another process takes the write lock, holds it a moment, then commits.
      const holder = spawn(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import Database from 'better-sqlite3';
           const db = new Database(process.argv[1]);
           db.exec('begin immediate');
           process.stdout.write('locked\\n');
           Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
           db.exec('commit');
           db.close();`,
          path,
        ],
        { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const exited = once(holder, 'exit');
      const [line] = (await once(holder.stdout, 'data')) as [Buffer];
      assert.equal(line.toString().trim(), 'locked');
      await store.createPlugin('a', pluginInput('waiting'));
      assert.equal((await store.getPlugin('a', 'waiting'))?.name, 'waiting');
      const [exitCode] = (await exited) as [number];
      assert.equal(exitCode, 0);
    } finally {
      await store.close();
      dir.remove();
    }
  });

  it('keeps every acknowledged publish and no partial one after SIGKILL mid-publish', async () => {
    const dir = makeTempDir('plugboard-store-sqlite-');
    const path = join(dir.path, 'plugboard.db');
    try {
      // A writer process publishing as fast as it can, printing each version once it is stored.
      const writer = spawn(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { openSqliteMetadataStore } from '@plugboard/store';
           const store = await openSqliteMetadataStore(process.argv[1]);
           await store.createDomain({ id: 'a', name: 'A' });
           for (let i = 0; ; i += 1) {
             const version = '1.0.' + i;
             const manifest = { name: 'killed', version, padding: 'x'.repeat(20000) };
             await store.publishVersion('a', {
               plugin: { name: 'killed', manifest },
               version,
               manifest,
               artifact: { digest: 'sha256:' + i.toString(16).padStart(64, '0'), size: i, mediaType: 'x' },
             });
             process.stdout.write(version + '\\n');
           }`,
          path,
        ],
        { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const exited = once(writer, 'exit');
      const acknowledged: string[] = [];
      let buffered = '';
      await new Promise<void>((resolve) => {
        writer.stdout.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          const lines = buffered.split('\n');
          buffered = lines.pop() ?? '';
          acknowledged.push(...lines);
          if (acknowledged.length >= 30) resolve();
        });
      });
      writer.kill('SIGKILL');
      await exited;

      const database = new BetterSqlite3(path);
      try {
        assert.equal(database.pragma('integrity_check', { simple: true }), 'ok');
      } finally {
        database.close();
      }
      const store = await openSqliteMetadataStore(path);
      try {
        const stored = await store.listVersions('a', 'killed');
        const storedVersions = new Set(stored.map((record) => record.version));
        for (const version of acknowledged) assert.ok(storedVersions.has(version), version);
        for (const record of stored) {
          const index = Number(record.version.split('.')[2]);
          assert.equal(record.artifact.size, index);
          assert.equal(record.manifest['version'], record.version);
        }
        assert.equal((await store.getPlugin('a', 'killed'))?.name, 'killed');
      } finally {
        await store.close();
      }
    } finally {
      dir.remove();
    }
  });
});
