import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { createTestServer, type TenantTokens, type TestServer } from '../helpers/test-server.js';
import { pluginPackage } from './publish-packages.js';

const MAX_PUBLISH_BYTES = 1024 * 1024;

/** Sends `body` in chunks without Content-Length and returns the status and body text. */
async function postChunked(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ status: number; text: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const upload = request(url, {
      method: 'POST',
      headers: { ...headers, 'transfer-encoding': 'chunked' },
    });
    upload.on('error', reject);
    upload.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          text: Buffer.concat(chunks).toString(),
          connection: response.headers.connection,
        }),
      );
    });
    // Small chunks, so the server decides while the body is still arriving.
    let offset = 0;
    const pump = () => {
      while (offset < body.length) {
        const chunk = body.subarray(offset, offset + 16 * 1024);
        offset += chunk.length;
        if (!upload.write(chunk)) {
          upload.once('drain', pump);
          return;
        }
      }
      upload.end();
    };
    pump();
  });
}

describe('publish over a real socket', () => {
  let server: TestServer;
  let tenant: TenantTokens;
  let origin: string;

  before(async () => {
    server = await createTestServer({ maxPublishBytes: MAX_PUBLISH_BYTES });
    tenant = await server.tenant('socket');
    origin = await server.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => server.close());

  const headers = () => ({
    authorization: `Bearer ${tenant.publisher}`,
    'content-type': 'application/gzip',
  });

  test('an unsafe entry early in a streamed body gets its 400 on a healthy connection', async () => {
    // The hostile entry comes first; most of the body arrives after the refusal.
    const tgz = pluginPackage('early-refusal', '1.0.0', {
      entries: [
        { path: '../escape', content: 'x' },
        { path: 'payload.bin', content: randomBytes(700 * 1024) },
      ],
    });
    const response = await postChunked(`${origin}/api/v1/publish`, headers(), tgz);
    assert.equal(response.status, 400, response.text);
    const error = (JSON.parse(response.text) as { error: { code: string; details: object } }).error;
    assert.equal(error.code, 'PACKAGE_INVALID');
    assert.deepEqual(error.details, { entry: '../escape' });
    assert.notEqual(response.connection, 'close');
    assert.deepEqual(server.blobDigests(), []);
    // The same server answers the next publish normally.
    const ok = await postChunked(
      `${origin}/api/v1/publish`,
      headers(),
      pluginPackage('after', '1.0.0'),
    );
    assert.equal(ok.status, 201, ok.text);
  });

  test('a streamed body over the limit is 413 and stores nothing', async () => {
    const before = server.blobDigests();
    const tgz = pluginPackage('too-big', '1.0.0', {
      entries: [{ path: 'payload.bin', content: randomBytes(MAX_PUBLISH_BYTES + 100_000) }],
    });
    const response = await postChunked(`${origin}/api/v1/publish`, headers(), tgz).catch(
      (error: Error) => ({ status: 0, text: error.message, connection: undefined }),
    );
    assert.equal(response.status, 413, response.text);
    assert.match(response.text, /PAYLOAD_TOO_LARGE/);
    assert.deepEqual(server.blobDigests(), before);
  });

  test('a declared Content-Length over the limit is refused before the body is read', async () => {
    const answer = await new Promise<{ status: number; connection: string | undefined }>(
      (resolve, reject) => {
        const upload = request(`${origin}/api/v1/publish`, {
          method: 'POST',
          headers: { ...headers(), 'content-length': String(MAX_PUBLISH_BYTES * 4) },
        });
        upload.on('error', reject);
        upload.on('response', (response) => {
          response.resume();
          resolve({ status: response.statusCode ?? 0, connection: response.headers.connection });
        });
        // Only a few bytes of the declared 4 MiB are ever sent: the answer cannot wait for them.
        upload.write(Buffer.alloc(10));
      },
    );
    assert.equal(answer.status, 413);
    assert.equal(answer.connection, 'close');
  });
});
