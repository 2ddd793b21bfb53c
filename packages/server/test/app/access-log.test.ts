import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { FsBlobStore, openMetadataStore } from '@plugboard/store';
import { buildApp, loadServerConfig } from '@plugboard/server';
import { makeTempDir } from '@plugboard/test-support';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { buildSources } from '../../src/catalog/build-sources.js';
import { Catalog } from '../../src/catalog/catalog.js';

const dir = makeTempDir('plugboard-access-log-');
after(() => dir.remove());

/** An app whose pino logger (level `level`) writes into the returned array. */
async function appLoggingTo(level: string) {
  const lines: string[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(line) });
  const config = await loadServerConfig({ data: dir.path }, {}, dir.path);
  const store = await openMetadataStore('sqlite::memory:');
  const blobs = await FsBlobStore.open(join(dir.path, 'blobs'));
  const sources = await buildSources({ config, store, blobs, watchManaged: false });
  const app = await buildApp(
    {
      config,
      store,
      blobs,
      catalog: new Catalog(sources.forScope),
      authenticate: createAuthenticator({ store, adminPassword: undefined }),
      refresh: sources.refresh,
    },
    { logger },
  );
  const close = async () => {
    await app.close();
    await sources.close();
    await store.close();
  };
  return { app, lines, close };
}

test('one access line per response, in the JSON pino writes, with an awkward URL escaped', async () => {
  const { app, lines, close } = await appLoggingTo('info');
  try {
    const url = '/api/v1/healthz?note=%22quoted%22&path=a\\b';
    const answer = await app.inject({ url });
    assert.equal(answer.statusCode, 200);
    await app.inject({ url: '/api/v1/no/such/route' });
    const access = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(access.length, 2, lines.join(''));
    const [first, second] = access;
    assert.deepEqual(
      { ...first, time: typeof first?.['time'], responseTime: typeof first?.['responseTime'] },
      {
        level: 30,
        time: 'number',
        pid: process.pid,
        hostname: hostname(),
        reqId: first?.['reqId'],
        method: 'GET',
        url,
        statusCode: 200,
        responseTime: 'number',
        msg: 'request completed',
      },
    );
    assert.match(String(first?.['reqId']), /^[0-9a-f-]{36}$/);
    assert.equal(second?.['statusCode'], 404);
    assert.notEqual(second?.['reqId'], first?.['reqId']);
  } finally {
    await close();
  }
});

test('below info (warn) no access line is written', async () => {
  const { app, lines, close } = await appLoggingTo('warn');
  try {
    assert.equal((await app.inject({ url: '/api/v1/healthz' })).statusCode, 200);
    assert.deepEqual(lines, []);
  } finally {
    await close();
  }
});
