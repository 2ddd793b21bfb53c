import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TarEntrySpec } from '@plugboard/installer';
import { createTestServer, type TenantTokens, type TestServer } from '../helpers/test-server.js';
import { multipartBody, pluginPackage } from './publish-packages.js';

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
interface Published {
  name: string;
  version: string;
  digest: string;
  size: number;
  signatures: { key_id: string; signature: string }[];
  plugin_created: boolean;
  artifact_url: string;
  format: string;
}
interface Detail {
  latest_version?: string;
  signed: boolean;
  dist_tags: Record<string, string>;
  versions: {
    version: string;
    digest?: string;
    size?: number;
    yanked: boolean;
    yank_reason?: string;
    deprecated?: string;
    signatures: unknown[];
  }[];
}

/** Makes a blob look written two hours ago (past the collector's grace period). */
function ageBlob(server: TestServer, digest: string): void {
  const hex = digest.slice('sha256:'.length);
  const when = new Date(Date.now() - 2 * 60 * 60 * 1000);
  utimesSync(join(server.dataDir, 'blobs', 'sha256', hex.slice(0, 2), hex), when, when);
}

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const body = <T>(response: { body: string }) => JSON.parse(response.body) as T;

function signatureFor(digest: string, privateKey: Parameters<typeof sign>[2], keyId: string) {
  return JSON.stringify({
    key_id: keyId,
    signature: sign(null, Buffer.from(digest), privateKey).toString('base64'),
  });
}

describe('POST /publish and the artifact download', () => {
  let server: TestServer;
  let tenant: TenantTokens;
  let other: TenantTokens;

  before(async () => {
    server = await createTestServer();
    tenant = await server.tenant('team-a');
    other = await server.tenant('team-b');
  });
  after(async () => server.close());

  const publishRaw = (payload: Buffer, secret = tenant.publisher, headers = {}) =>
    server.app.inject({
      method: 'POST',
      url: '/api/v1/publish',
      headers: {
        authorization: `Bearer ${secret}`,
        'content-type': 'application/gzip',
        ...headers,
      },
      payload,
    });
  const get = (url: string, secret = tenant.reader, headers = {}) =>
    server.app.inject({
      method: 'GET',
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${secret}`, ...headers },
    });

  test('a raw publish stores a version with digest and size; the download is byte-identical', async () => {
    const tgz = pluginPackage('raw-echo', '1.0.0');
    const response = await publishRaw(tgz);
    assert.equal(response.statusCode, 201, response.body);
    const published = body<Published>(response);
    assert.equal(published.name, 'raw-echo');
    assert.equal(published.version, '1.0.0');
    assert.equal(published.digest, sha256(tgz));
    assert.equal(published.size, tgz.length);
    assert.equal(published.plugin_created, true);
    assert.equal(published.format, 'native');
    assert.match(published.artifact_url, /\/api\/v1\/plugins\/raw-echo\/1\.0\.0\/artifact$/);

    const detail = body<Detail>(await get('/plugins/raw-echo'));
    assert.equal(detail.latest_version, '1.0.0');
    assert.equal(detail.versions[0]?.digest, sha256(tgz));
    assert.equal(detail.versions[0]?.size, tgz.length);

    const download = await get('/plugins/raw-echo/1.0.0/artifact');
    assert.equal(download.statusCode, 200);
    assert.ok(download.rawPayload.equals(tgz), 'identical bytes');
    assert.equal(download.headers['etag'], `"${sha256(tgz)}"`);
    assert.equal(
      download.headers['digest'],
      `sha-256=${createHash('sha256').update(tgz).digest('base64')}`,
    );
    assert.equal(download.headers['content-length'], String(tgz.length));
    assert.equal(download.headers['content-type'], 'application/vnd.plugboard.plugin.v1+tar+gzip');

    const notModified = await get('/plugins/raw-echo/1.0.0/artifact', tenant.reader, {
      'if-none-match': `W/"other", "${sha256(tgz)}"`,
    });
    assert.equal(notModified.statusCode, 304);
    assert.equal(notModified.rawPayload.length, 0);
    assert.equal(notModified.headers['etag'], `"${sha256(tgz)}"`);
    const head = await server.app.inject({
      method: 'HEAD',
      url: '/api/v1/plugins/raw-echo/1.0.0/artifact',
      headers: { authorization: `Bearer ${tenant.reader}` },
    });
    assert.equal(head.statusCode, 200);
    assert.equal(head.headers['content-length'], String(tgz.length), 'HEAD tells the real size');
    assert.equal(head.headers['etag'], `"${sha256(tgz)}"`);
    assert.equal(head.rawPayload.length, 0);
    const stale = await get('/plugins/raw-echo/1.0.0/artifact', tenant.reader, {
      'if-none-match': '"sha256:0000"',
    });
    assert.equal(stale.statusCode, 200);
  });

  test('a multipart publish (field "plugin") with a signature field stores the signature', async () => {
    const tgz = pluginPackage('multipart-echo', '2.1.0');
    const { privateKey } = generateKeyPairSync('ed25519');
    const signature = signatureFor(sha256(tgz), privateKey, 'release-key');
    const { body: payload, contentType } = multipartBody([
      { name: 'plugin', file: tgz },
      { name: 'signature', value: signature },
    ]);
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/publish',
      headers: { authorization: `Bearer ${tenant.publisher}`, 'content-type': contentType },
      payload,
    });
    assert.equal(response.statusCode, 201, response.body);
    const published = body<Published>(response);
    assert.equal(published.digest, sha256(tgz));
    assert.deepEqual(published.signatures, [JSON.parse(signature)]);
    const detail = body<Detail>(await get('/plugins/multipart-echo'));
    assert.equal(detail.signed, true);
    assert.equal(detail.versions[0]?.signatures.length, 1);
    const download = await get('/plugins/multipart-echo/2.1.0/artifact');
    assert.ok(download.rawPayload.equals(tgz));
  });

  test('a second package file, an unknown field or no file is refused and leaves nothing', async () => {
    const before = server.blobDigests();
    const tgz = pluginPackage('multi-bad', '1.0.0');
    for (const parts of [
      [{ name: 'other', file: tgz }],
      [{ name: 'comment', value: 'hello' }],
      [
        { name: 'package', file: tgz },
        { name: 'comment', value: 'hello' },
      ],
    ]) {
      const { body: payload, contentType } = multipartBody(parts);
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/v1/publish',
        headers: { authorization: `Bearer ${tenant.publisher}`, 'content-type': contentType },
        payload,
      });
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(body<ErrorBody>(response).error.code, 'INVALID_ARGUMENT');
    }
    assert.equal(await server.store.getPlugin(tenant.domainId, 'multi-bad'), undefined);
    // A field after the package is seen once the package's blob is stored: that blob is left to
    // the collector (never deleted on the spot), which removes it past its grace period.
    const added = server.blobDigests().filter((digest) => !before.includes(digest));
    assert.deepEqual(added, [sha256(tgz)]);
    ageBlob(server, sha256(tgz));
    const gc = await server.app.inject({
      method: 'POST',
      url: '/api/v1/admin/gc',
      headers: { authorization: `Bearer ${tenant.admin}` },
    });
    assert.equal(gc.statusCode, 200, gc.body);
    assert.deepEqual(server.blobDigests(), before);
  });

  test('publishing an existing version is 409 ALREADY_EXISTS and stores nothing new', async () => {
    const first = pluginPackage('dup-echo', '1.0.0');
    assert.equal((await publishRaw(first)).statusCode, 201);
    const blobs = server.blobDigests();
    for (const again of [
      first,
      pluginPackage('dup-echo', '1.0.0', { manifest: { labels: ['x'] } }),
    ]) {
      const response = await publishRaw(again);
      assert.equal(response.statusCode, 409, response.body);
      assert.equal(body<ErrorBody>(response).error.code, 'ALREADY_EXISTS');
    }
    assert.deepEqual(server.blobDigests(), blobs, 'no blob added, the existing one kept');
    const download = await get('/plugins/dup-echo/1.0.0/artifact');
    assert.ok(download.rawPayload.equals(first), 'the first publish is untouched');
  });

  const hostile: { name: string; entries: TarEntrySpec[]; entry: string }[] = [
    { name: '../x', entries: [{ path: '../x', content: 'x' }], entry: '../x' },
    { name: '/etc/x', entries: [{ path: '/etc/x', content: 'x' }], entry: '/etc/x' },
    {
      name: 'a symlink to /etc/passwd',
      entries: [{ path: 'passwd', type: '2', linkTarget: '/etc/passwd' }],
      entry: 'passwd',
    },
    { name: 'a device file', entries: [{ path: 'dev/sda', type: '4' }], entry: 'dev/sda' },
    {
      name: 'too many entries',
      entries: Array.from({ length: 10_000 }, (_, index) => ({
        path: `many/f${index}`,
        content: '',
      })),
      // manifest.json, bin/ and bin/run come first: the 10,001st entry is f9997.
      entry: 'many/f9997',
    },
  ];
  for (const { name, entries, entry } of hostile) {
    test(`a package with ${name} is refused naming the entry; no version, no blob`, async () => {
      const blobs = server.blobDigests();
      const tgz = pluginPackage('hostile', '1.0.0', { entries });
      const response = await publishRaw(tgz);
      assert.equal(response.statusCode, 400, response.body);
      const error = body<ErrorBody>(response).error;
      assert.equal(error.code, 'PACKAGE_INVALID');
      assert.equal(error.details?.['entry'], entry);
      assert.ok(error.message.includes(JSON.stringify(entry)), error.message);
      assert.equal(await server.store.getPlugin(tenant.domainId, 'hostile'), undefined);
      assert.equal(await server.store.getVersion(tenant.domainId, 'hostile', '1.0.0'), undefined);
      assert.deepEqual(server.blobDigests(), blobs);
    });
  }

  test('bad manifests, bad data, bad content types and weak roles are refused', async () => {
    const blobs = server.blobDigests();
    const noVersion = pluginPackage('no-version', '1.0.0', { manifest: { version: undefined } });
    let response = await publishRaw(noVersion);
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(body<ErrorBody>(response).error.code, 'MANIFEST_INVALID');

    response = await publishRaw(Buffer.from('not gzip at all'));
    assert.equal(response.statusCode, 400);
    assert.equal(body<ErrorBody>(response).error.code, 'PACKAGE_INVALID');

    for (const contentType of ['application/json', 'text/plain', 'application/zip']) {
      response = await publishRaw(pluginPackage('typed', '1.0.0'), tenant.publisher, {
        'content-type': contentType,
      });
      assert.equal(response.statusCode, 415, contentType);
      assert.equal(body<ErrorBody>(response).error.code, 'UNSUPPORTED_MEDIA_TYPE');
    }
    response = await publishRaw(pluginPackage('weak', '1.0.0'), tenant.reader);
    assert.equal(response.statusCode, 403);
    response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/publish',
      headers: { 'content-type': 'application/gzip' },
      payload: pluginPackage('anon', '1.0.0'),
    });
    assert.equal(response.statusCode, 401);
    response = await publishRaw(pluginPackage('badsig', '1.0.0'), tenant.publisher, {
      'x-plugboard-signature': '{"key_id":"k","signature":"c2hvcnQ="}',
    });
    assert.equal(response.statusCode, 422, response.body);
    assert.equal(body<ErrorBody>(response).error.code, 'SIGNATURE_INVALID');
    for (const name of ['no-version', 'typed', 'weak', 'anon', 'badsig']) {
      assert.equal(await server.store.getPlugin(tenant.domainId, name), undefined, name);
    }
    assert.deepEqual(server.blobDigests(), blobs);
  });

  test('another tenant sees neither the version nor the artifact', async () => {
    assert.equal((await publishRaw(pluginPackage('private-echo', '1.0.0'))).statusCode, 201);
    const detail = await get('/plugins/private-echo', other.reader);
    assert.equal(detail.statusCode, 404);
    const download = await get('/plugins/private-echo/1.0.0/artifact', other.reader);
    assert.equal(download.statusCode, 404);
    // Publishing the same name in team-b is its own plugin, not a conflict.
    const response = await publishRaw(pluginPackage('private-echo', '1.0.0'), other.publisher);
    assert.equal(response.statusCode, 201, response.body);
  });

  test('100 concurrent publishes of distinct versions lose none', async () => {
    const packages = Array.from({ length: 100 }, (_, index) =>
      pluginPackage('busy-echo', `1.${index}.0`),
    );
    const responses = await Promise.all(packages.map((tgz) => publishRaw(tgz)));
    assert.deepEqual(
      responses.map((r) => r.statusCode).filter((status) => status !== 201),
      [],
    );
    const versions = await server.store.listVersions(tenant.domainId, 'busy-echo');
    assert.equal(versions.length, 100);
    for (const [index, tgz] of packages.entries()) {
      const stored = versions.find((v) => v.version === `1.${index}.0`);
      assert.equal(stored?.artifact.digest, sha256(tgz));
    }
    const download = await get('/plugins/busy-echo/1.42.0/artifact');
    assert.ok(download.rawPayload.equals(packages[42] ?? Buffer.alloc(0)));
  });
});

describe('publish size limit', () => {
  let server: TestServer;
  let tenant: TenantTokens;
  before(async () => {
    server = await createTestServer({ maxPublishBytes: 64 * 1024 });
    tenant = await server.tenant('small');
  });
  after(async () => server.close());

  test('a package over max_publish_bytes is 413, raw or multipart, and stores nothing', async () => {
    const publish = (payload: Buffer, contentType = 'application/gzip') =>
      server.app.inject({
        method: 'POST',
        url: '/api/v1/publish',
        headers: { authorization: `Bearer ${tenant.publisher}`, 'content-type': contentType },
        payload,
      });
    // The limit is on the package as sent: 1 MiB of zeros compresses far below 64 KiB.
    const compressible = pluginPackage('fits', '1.0.0', {
      entries: [{ path: 'zeros.bin', content: Buffer.alloc(1024 * 1024) }],
    });
    assert.ok(compressible.length < 64 * 1024);
    assert.equal((await publish(compressible)).statusCode, 201);
    const blobs = server.blobDigests();

    const huge = pluginPackage('too-big', '1.0.0', {
      entries: [{ path: 'noise.bin', content: randomBytes(200 * 1024) }],
    });
    const raw = await publish(huge);
    assert.equal(raw.statusCode, 413, raw.body);
    assert.equal(body<ErrorBody>(raw).error.code, 'PAYLOAD_TOO_LARGE');
    const { body: payload, contentType } = multipartBody([{ name: 'package', file: huge }]);
    const multipart = await publish(payload, contentType);
    assert.equal(multipart.statusCode, 413, multipart.body);
    assert.equal(body<ErrorBody>(multipart).error.code, 'PAYLOAD_TOO_LARGE');
    assert.equal(await server.store.getPlugin(tenant.domainId, 'too-big'), undefined);
    assert.deepEqual(server.blobDigests(), blobs);
  });
});

describe('publish with trusted keys configured', () => {
  let server: TestServer;
  let tenant: TenantTokens;
  const trusted = generateKeyPairSync('ed25519');
  const stranger = generateKeyPairSync('ed25519');
  before(async () => {
    server = await createTestServer({
      trustedKeys: new Map([['release-2026', trusted.publicKey]]),
    });
    tenant = await server.tenant('signed');
  });
  after(async () => server.close());

  const publish = (tgz: Buffer, signature?: string) =>
    server.app.inject({
      method: 'POST',
      url: '/api/v1/publish',
      headers: {
        authorization: `Bearer ${tenant.publisher}`,
        'content-type': 'application/octet-stream',
        ...(signature === undefined ? {} : { 'x-plugboard-signature': signature }),
      },
      payload: tgz,
    });

  test('a signature by a trusted key over the digest is accepted', async () => {
    const tgz = pluginPackage('signed-echo', '1.0.0');
    const response = await publish(
      tgz,
      signatureFor(sha256(tgz), trusted.privateKey, 'release-2026'),
    );
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(body<Published>(response).signatures[0]?.key_id, 'release-2026');
  });

  test('a wrong signature, an unknown key or a signature over other bytes is 422 and stores nothing', async () => {
    const tgz = pluginPackage('forged-echo', '1.0.0');
    const other = pluginPackage('forged-echo', '9.9.9');
    for (const signature of [
      signatureFor(sha256(tgz), stranger.privateKey, 'release-2026'),
      signatureFor(sha256(tgz), stranger.privateKey, 'someone-else'),
      signatureFor(sha256(other), trusted.privateKey, 'release-2026'),
    ]) {
      const response = await publish(tgz, signature);
      assert.equal(response.statusCode, 422, response.body);
      assert.equal(body<ErrorBody>(response).error.code, 'SIGNATURE_INVALID');
    }
    assert.equal(await server.store.getPlugin(tenant.domainId, 'forged-echo'), undefined);
    // The blob stays until the collector finds it unused and past its grace period (another
    // publish of the same bytes might be between writing its blob and its row).
    assert.ok(server.blobDigests().includes(sha256(tgz)), 'kept through the grace period');
    ageBlob(server, sha256(tgz));
    const gc = await server.app.inject({
      method: 'POST',
      url: '/api/v1/admin/gc',
      headers: { authorization: `Bearer ${tenant.admin}` },
    });
    assert.equal(gc.statusCode, 200, gc.body);
    assert.ok(!server.blobDigests().includes(sha256(tgz)), 'the refused blob was collected');
  });

  test('a refused publish keeps a blob another tenant published with the same bytes', async () => {
    const second = await server.tenant('signed-too');
    const tgz = pluginPackage('shared-bytes', '1.0.0');
    const good = signatureFor(sha256(tgz), trusted.privateKey, 'release-2026');
    assert.equal((await publish(tgz, good)).statusCode, 201);
    const refused = await server.app.inject({
      method: 'POST',
      url: '/api/v1/publish',
      headers: {
        authorization: `Bearer ${second.publisher}`,
        'content-type': 'application/gzip',
        'x-plugboard-signature': signatureFor(sha256(tgz), stranger.privateKey, 'release-2026'),
      },
      payload: tgz,
    });
    assert.equal(refused.statusCode, 422, refused.body);
    assert.ok(server.blobDigests().includes(sha256(tgz)), 'the first tenant still has its blob');
    const download = await server.app.inject({
      method: 'GET',
      url: '/api/v1/plugins/shared-bytes/1.0.0/artifact',
      headers: { authorization: `Bearer ${tenant.reader}` },
    });
    assert.equal(download.statusCode, 200);
    assert.ok(download.rawPayload.equals(tgz));
  });
});
