import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { RegistryClient, announcedDigest, parseRegistryUrl } from '@plugboard/client';
import {
  ARTIFACT_BYTES,
  ARTIFACT_DIGEST,
  startTestRegistry,
  type TestRegistry,
} from './helpers/test-registry.js';

const TOKEN = 'pb_client_test_token_0123456789';
let registry: TestRegistry;

before(async () => {
  registry = await startTestRegistry();
});
after(async () => {
  await registry.close();
});

function client(options: Partial<ConstructorParameters<typeof RegistryClient>[0]> = {}) {
  return new RegistryClient({ url: registry.url, token: TOKEN, timeoutMs: 10_000, ...options });
}

test('listPlugins sends the filters as query parameters and the token as Bearer', async () => {
  const page = await client().listPlugins({
    q: 'ec ho',
    provider: 'aws',
    repository: 'LOCAL',
    page: 2,
    limit: 5,
    fields: ['name', 'latest_version'],
  });
  assert.equal(page.plugins[0]?.name, 'echo');
  assert.equal(page.total, 1);
  assert.deepEqual(page.warnings, ['REMOTE repository "x" left out: down']);
  const echoed = (page as unknown as { echoedQuery: Record<string, string> }).echoedQuery;
  assert.deepEqual(echoed, {
    q: 'ec ho',
    provider: 'aws',
    repository: 'LOCAL',
    page: '2',
    limit: '5',
    fields: 'name,latest_version',
  });
  assert.equal(registry.seen.at(-1)?.authorization, `Bearer ${TOKEN}`);
});

test('a list answer without counters gets total, page, limit and warnings filled in', async () => {
  const page = await client().search({ q: 'echo' });
  assert.equal(page.total, 1);
  assert.equal(page.page, 1);
  assert.deepEqual(page.warnings, []);
});

test('getPlugin, listVersions, getManifest and resolve return the server JSON', async () => {
  const registryClient = client();
  const detail = await registryClient.getPlugin('echo');
  assert.equal(detail.versions[0]?.digest, ARTIFACT_DIGEST);
  assert.deepEqual(detail.dist_tags, { latest: '1.0.0' });
  const versions = await registryClient.listVersions('echo');
  assert.deepEqual(
    versions.versions.map((v) => v.version),
    ['1.0.0'],
  );
  assert.deepEqual(await registryClient.getManifest('echo', '1.0.0'), {
    name: 'echo',
    version: '1.0.0',
  });
  const resolved = await registryClient.resolve('echo', '^1.0');
  assert.equal(resolved.version, '1.0.0');
  assert.deepEqual(resolved.warnings, []);
  assert.equal((resolved as unknown as { spec: string }).spec, '^1.0');
});

test('a Plugboard error answer keeps its code, message and details', async () => {
  await assert.rejects(client().getPlugin('missing'), (error: unknown) => {
    assert.ok(error instanceof Error);
    const failure = error as Error & { code: string; details: Record<string, unknown> };
    assert.equal(failure.code, 'PLUGIN_NOT_FOUND');
    assert.equal(failure.message, 'no plugin named "missing"');
    assert.equal(failure.details['name'], 'missing');
    assert.equal(failure.details['status'], 404);
    return true;
  });
});

test('downloadArtifact streams the bytes and reports the ETag digest, size and media type', async () => {
  const download = await client().downloadArtifact('echo', '1.0.0');
  assert.equal(download.digest, ARTIFACT_DIGEST);
  assert.equal(download.size, ARTIFACT_BYTES.length);
  assert.equal(download.mediaType, 'application/vnd.plugboard.plugin.v1+tar+gzip');
  const hash = createHash('sha256');
  let chunks = 0;
  for await (const chunk of download.body) {
    hash.update(chunk);
    chunks += 1;
  }
  assert.equal(`sha256:${hash.digest('hex')}`, ARTIFACT_DIGEST);
  assert.ok(chunks > 1, 'the body arrives in several chunks, not as one buffer');
});

test('downloadArtifact reads an RFC 3230 Digest header when there is no ETag', async () => {
  const download = await client().downloadArtifact('echo', '2.0.0');
  assert.equal(download.digest, ARTIFACT_DIGEST);
  await download.cancel();
});

test('announcedDigest ignores ETags and Digest values that are not sha256', () => {
  assert.equal(announcedDigest(new Headers({ etag: '"abc"' })), undefined);
  assert.equal(announcedDigest(new Headers({ digest: 'md5=abc' })), undefined);
  assert.equal(announcedDigest(new Headers({ etag: `W/"${ARTIFACT_DIGEST}"` })), ARTIFACT_DIGEST);
});

test('publish sends the raw package with its content type and signatures', async () => {
  const body = new Uint8Array(Buffer.from('a tiny package'));
  const signatures = [{ key_id: 'release', signature: 'c2ln' }];
  const answer = await client().publish(body, { signatures });
  assert.equal(answer.size, body.length);
  assert.equal(answer.digest, `sha256:${createHash('sha256').update(body).digest('hex')}`);
  assert.deepEqual(registry.published.at(-1), Buffer.from(body));
  assert.equal(registry.seen.at(-1)?.contentType, 'application/gzip');
  assert.deepEqual(JSON.parse(registry.signatureHeaders.at(-1) ?? 'null'), signatures);
  await client().publish(body);
  assert.equal(registry.signatureHeaders.at(-1), undefined, 'no header without signatures');
});

test('publish streams a ReadableStream body', async () => {
  const parts = ['streamed ', 'package ', 'bytes'];
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
      controller.close();
    },
  });
  const answer = await client().publish(stream);
  assert.equal(answer.size, parts.join('').length);
  assert.equal(registry.published.at(-1)?.toString(), parts.join(''));
});

test('deleteRepository accepts an empty 204 answer', async () => {
  await client().deleteRepository('repo-1');
  assert.equal(registry.seen.at(-1)?.url, '/api/v1/repositories/repo-1');
});

test('credentials in the URL become Basic auth and disappear from client.url', async () => {
  const withUser = new RegistryClient({
    url: registry.url.replace('http://', 'http://admin:s%C3%A9cret@'),
  });
  assert.equal(withUser.url, registry.url);
  await withUser.health();
  const expected = `Basic ${Buffer.from('admin:sécret').toString('base64')}`;
  assert.equal(registry.seen.at(-1)?.authorization, expected);
});

test('a token that cannot be a header value is refused up front, without quoting it', () => {
  assert.throws(
    () => new RegistryClient({ url: registry.url, token: 'pb_secret\nInjected: yes' }),
    (error: Error & { code: string }) =>
      error.code === 'INVALID_ARGUMENT' && !error.message.includes('pb_secret'),
  );
});

test('parseRegistryUrl refuses non-http URLs and strips the trailing slash', () => {
  assert.equal(parseRegistryUrl('https://r.example/api/v1/').base, 'https://r.example/api/v1');
  assert.throws(() => parseRegistryUrl('ftp://r.example'), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => parseRegistryUrl('not a url'), { code: 'INVALID_ARGUMENT' });
});
