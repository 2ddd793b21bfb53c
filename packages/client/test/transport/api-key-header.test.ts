import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { test } from 'node:test';
import { isPlugboardError } from '@plugboard/core';
import { RegistryTransport } from '../../src/transport/registry-transport.js';

interface Recorder {
  readonly origin: string;
  readonly seen: { path: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** A real HTTP server that records each request and answers from `answer`. */
async function startRecorder(
  answer: (path: string) => { status: number; headers?: Record<string, string>; body?: string },
): Promise<Recorder> {
  const seen: { path: string; headers: IncomingHttpHeaders }[] = [];
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    seen.push({ path, headers: request.headers });
    const { status, headers, body } = answer(path);
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function transport(url: string, credentials: { apiKey?: string; token?: string }) {
  return new RegistryTransport({
    url,
    ...credentials,
    timeoutMs: 5_000,
    fetch: (target, init) => fetch(target, init),
    maxJsonBytes: 1024 * 1024,
  });
}

test('an api_key goes in X-API-Key, not Authorization, and never follows a redirect to another origin', async () => {
  const blobs = await startRecorder(() => ({ status: 200, body: '{"blob":true}' }));
  const registry = await startRecorder((path) => {
    if (path === '/api/v1/elsewhere') {
      return { status: 302, headers: { location: `${blobs.origin}/signed?x=1` } };
    }
    if (path === '/api/v1/moved') return { status: 301, headers: { location: '/api/v1/plugins' } };
    return { status: 200, body: '{"ok":true}' };
  });
  try {
    const client = transport(`${registry.origin}/api/v1`, { apiKey: 'pb_the-api-key' });
    assert.deepEqual(await client.json('GET', '/plugins'), { ok: true });
    assert.equal(registry.seen[0]?.headers['x-api-key'], 'pb_the-api-key');
    assert.equal(registry.seen[0]?.headers.authorization, undefined);

    // A redirect on the same origin keeps the key.
    assert.deepEqual(await client.json('GET', '/moved'), { ok: true });
    assert.deepEqual(
      registry.seen.slice(1).map((request) => [request.path, request.headers['x-api-key']]),
      [
        ['/api/v1/moved', 'pb_the-api-key'],
        ['/api/v1/plugins', 'pb_the-api-key'],
      ],
    );

    // A redirect to a blob store gets the request without the key.
    assert.deepEqual(await client.json('GET', '/elsewhere'), { blob: true });
    assert.equal(blobs.seen.length, 1);
    assert.equal(blobs.seen[0]?.path, '/signed?x=1');
    assert.equal(blobs.seen[0]?.headers['x-api-key'], undefined);
    assert.equal(blobs.seen[0]?.headers.authorization, undefined);
  } finally {
    await registry.close();
    await blobs.close();
  }
});

test('a bearer token still goes in Authorization; a key that cannot be a header value is refused without showing it', async () => {
  const registry = await startRecorder(() => ({ status: 200, body: '{}' }));
  try {
    await transport(`${registry.origin}/api/v1`, { token: 'pb_bearer' }).json('GET', '/plugins');
    assert.equal(registry.seen[0]?.headers.authorization, 'Bearer pb_bearer');
    assert.equal(registry.seen[0]?.headers['x-api-key'], undefined);
    assert.throws(
      () => transport(registry.origin, { apiKey: 'has a secret space' }),
      (error: unknown) =>
        isPlugboardError(error, 'INVALID_ARGUMENT') &&
        /apiKey/.test(error.message) &&
        !error.message.includes('secret'),
    );
  } finally {
    await registry.close();
  }
});
