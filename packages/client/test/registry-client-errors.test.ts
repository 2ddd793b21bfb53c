import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { inspect } from 'node:util';
import { isPlugboardError } from '@plugboard/core';
import { RegistryClient } from '@plugboard/client';
import { startTestRegistry, type TestRegistry } from './helpers/test-registry.js';

const TOKEN = 'pb_secret_token_that_must_not_leak';
let registry: TestRegistry;

before(async () => {
  registry = await startTestRegistry();
});
after(async () => {
  await registry.close();
});

/** Asserts a PlugboardError with `code` whose message names `url` and which never shows the token. */
function failsWith(code: string, url: string) {
  return (error: unknown): boolean => {
    assert.ok(isPlugboardError(error), `expected a PlugboardError, got ${inspect(error)}`);
    assert.equal(error.code, code, error.message);
    assert.ok(error.message.includes(url), `message names the registry: ${error.message}`);
    const everything = `${inspect(error, { depth: 10 })} ${JSON.stringify(error.toJSON())}`;
    assert.ok(!everything.includes(TOKEN), 'the token appears nowhere in the error');
    return true;
  };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('a registry that refuses connections is UNAVAILABLE naming its URL, not the token', async () => {
  const url = `http://127.0.0.1:${await closedPort()}/api/v1`;
  const client = new RegistryClient({ url, token: TOKEN, timeoutMs: 5_000 });
  await assert.rejects(client.listPlugins(), failsWith('UNAVAILABLE', url));
});

test('a slow registry is a TIMEOUT', async () => {
  const client = new RegistryClient({ url: registry.url, token: TOKEN, timeoutMs: 200 });
  await assert.rejects(client.getPlugin('slow'), failsWith('TIMEOUT', registry.url));
});

test('a per-call timeout overrides the client timeout', async () => {
  const client = new RegistryClient({ url: registry.url, token: TOKEN, timeoutMs: 60_000 });
  await assert.rejects(
    client.getPlugin('slow', { timeoutMs: 200 }),
    failsWith('TIMEOUT', registry.url),
  );
});

test("the caller's AbortSignal rejects with ABORTED, before and during the call", async () => {
  const client = new RegistryClient({ url: registry.url, token: TOKEN, timeoutMs: 60_000 });
  const controller = new AbortController();
  const call = client.getPlugin('slow', { signal: controller.signal });
  setTimeout(() => controller.abort(), 100);
  await assert.rejects(call, failsWith('ABORTED', registry.url));
  const before = registry.seen.length;
  await assert.rejects(
    client.getPlugin('echo', { signal: AbortSignal.abort() }),
    failsWith('ABORTED', registry.url),
  );
  assert.equal(registry.seen.length, before, 'an already aborted call sends nothing');
});

test('an HTML 502 from a proxy is UNAVAILABLE with the status', async () => {
  const client = new RegistryClient({ url: registry.url, token: TOKEN });
  await assert.rejects(client.getPlugin('broken'), (error: unknown) => {
    assert.ok(failsWith('UNAVAILABLE', registry.url)(error));
    assert.equal((error as { details: { status: number } }).details.status, 502);
    return true;
  });
});

test('an error body with a code outside the table is INTERNAL', async () => {
  const client = new RegistryClient({ url: registry.url, token: TOKEN });
  await assert.rejects(client.getPlugin('teapot'), failsWith('INTERNAL', registry.url));
});

test('a 200 that is not JSON, or too large, is UNAVAILABLE (the registry is broken)', async () => {
  const client = new RegistryClient({ url: registry.url, token: TOKEN, maxJsonBytes: 10_000 });
  await assert.rejects(client.getPlugin('garbage'), failsWith('UNAVAILABLE', registry.url));
  await assert.rejects(client.getPlugin('huge'), failsWith('UNAVAILABLE', registry.url));
  assert.equal((await client.getPlugin('echo')).name, 'echo', 'small answers still pass');
});

test('an artifact body that stalls fails with TIMEOUT while reading', async () => {
  const client = new RegistryClient({ url: registry.url, token: TOKEN, timeoutMs: 300 });
  const download = await client.downloadArtifact('stall', '1.0.0');
  let received = 0;
  await assert.rejects(
    (async () => {
      for await (const chunk of download.body) received += chunk.length;
    })(),
    failsWith('TIMEOUT', registry.url),
  );
  assert.equal(received, 1000, 'the bytes before the stall arrived');
});

test("a foreign 404 (Fastify's default body, no Plugboard code) rejects as INTERNAL", async () => {
  const client = new RegistryClient({ url: registry.url, token: TOKEN });
  await assert.rejects(
    client.downloadArtifact('missing', '1.0.0'),
    failsWith('INTERNAL', registry.url),
  );
});
