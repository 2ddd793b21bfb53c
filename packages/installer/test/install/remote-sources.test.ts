import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isPlugboardError } from '@plugboard/core';
import { makeTempDir } from '@plugboard/test-support';
import {
  Installer,
  generateSigningKey,
  parsePrivateKey,
  parsePublicKey,
  readLockFile,
  sha256Digest,
  signDigest,
} from '../../src/index.js';
import { pluginPackage } from '../helpers/plugin-package.js';
import { startStaticServer } from '../helpers/static-server.js';

test('https: a package URL with a .sig file next to it installs signed; a manifest URL leads to its download_url', async () => {
  const server = await startStaticServer();
  const dir = makeTempDir();
  try {
    const key = generateSigningKey('release');
    const bytes = pluginPackage({ name: 'web', version: '1.0.0' });
    server.routes.set('/p/web-1.0.0.tgz', { body: bytes });
    server.routes.set('/p/web-1.0.0.tgz.sig', {
      body: JSON.stringify(
        signDigest(sha256Digest(bytes), parsePrivateKey(key.privateKeyPem, 'k'), 'release'),
      ),
    });
    const installer = new Installer({
      installRoot: join(dir.path, 'root'),
      trust: {
        keys: [{ keyId: 'release', key: parsePublicKey(key.publicKey, 'k') }],
        requireSignatures: true,
      },
    });
    const [outcome] = await installer.install([`${server.origin}/p/web-1.0.0.tgz`]);
    assert.equal(outcome?.signingKeyId, 'release');
    assert.equal(outcome?.source, `${server.origin}/p/web-1.0.0.tgz`);

    const v2 = pluginPackage({ name: 'web', version: '2.0.0' });
    server.routes.set('/p/v2.tgz', { body: v2 });
    server.routes.set('/p/v2.tgz.sig', {
      body: JSON.stringify(
        signDigest(sha256Digest(v2), parsePrivateKey(key.privateKeyPem, 'k'), 'release'),
      ),
    });
    server.routes.set('/m/web/2.0.0/manifest.json', {
      body: JSON.stringify({
        name: 'web',
        display_name: 'Web',
        description: 'A plugin described by a PulumiCost manifest',
        version: '2.0.0',
        api_version: 'v1',
        plugin_type: 'cost_source',
        capabilities: ['actual_cost'],
        supported_providers: ['aws'],
        installation: {
          installation_method: 'package',
          download_url: '../../../p/v2.tgz',
          checksum: sha256Digest(v2).slice(7),
        },
      }),
    });
    const [updated] = await installer.install([`${server.origin}/m/web/2.0.0/manifest.json`]);
    assert.equal(updated?.version, '2.0.0');
    assert.equal(updated?.status, 'updated');
    assert.ok(server.seen.some((request) => request.line === 'GET /p/v2.tgz'));
  } finally {
    await server.close();
    dir.remove();
  }
});

test('https: a manifest whose checksum does not match the package is refused', async () => {
  const server = await startStaticServer();
  const dir = makeTempDir();
  try {
    server.routes.set('/p.tgz', { body: pluginPackage({ name: 'web' }) });
    server.routes.set('/manifest.yaml', {
      body: `name: web\nversion: 1.0.0\nmetadata:\n  installation:\n    download_url: /p.tgz\n    checksum: ${'ab'.repeat(32)}\n`,
    });
    const root = join(dir.path, 'root');
    await assert.rejects(
      new Installer({ installRoot: root }).install([`${server.origin}/manifest.yaml`]),
      (error: unknown) =>
        isPlugboardError(error, 'DIGEST_MISMATCH') && /installation\.checksum/.test(error.message),
    );
    assert.equal(existsSync(join(root, 'web')), false);
  } finally {
    await server.close();
    dir.remove();
  }
});

test('github: the release layout (tag or latest), the asset digest checked, the tag pinned in the lock', async () => {
  const server = await startStaticServer();
  const dir = makeTempDir();
  try {
    const bytes = pluginPackage({ name: 'gh-plugin', version: '1.2.3' });
    const release = (tag: string, digest: string) =>
      JSON.stringify({
        tag_name: tag,
        assets: [
          { name: 'checksums.txt', browser_download_url: `${server.origin}/dl/checksums.txt` },
          {
            name: 'gh-plugin-1.2.3.tgz',
            browser_download_url: `${server.origin}/dl/gh-plugin-1.2.3.tgz`,
            size: bytes.length,
            digest,
          },
        ],
      });
    server.routes.set('/api/repos/acme/gh-plugin/releases/latest', {
      body: release('v1.2.3', sha256Digest(bytes)),
    });
    server.routes.set('/api/repos/acme/gh-plugin/releases/tags/v1.2.3', {
      body: release('v1.2.3', sha256Digest(bytes)),
    });
    server.routes.set('/api/repos/acme/gh-plugin/releases/tags/v9', {
      body: release('v9', sha256Digest(Buffer.from('other'))),
    });
    server.routes.set('/dl/gh-plugin-1.2.3.tgz', { body: bytes });
    const root = join(dir.path, 'root');
    const installer = new Installer({
      installRoot: root,
      github: { apiUrl: `${server.origin}/api`, token: 'gh-token' },
    });
    const [outcome] = await installer.install(['github://acme/gh-plugin']);
    assert.equal(outcome?.name, 'gh-plugin');
    assert.equal(outcome?.source, 'github://acme/gh-plugin@v1.2.3');
    const lock = await readLockFile(join(root, 'plugboard.lock'));
    assert.equal(lock.plugins[0]?.requested, 'github://acme/gh-plugin');
    assert.equal(
      server.seen.find((request) => request.line.startsWith('GET /api/'))?.authorization,
      'Bearer gh-token',
    );
    await assert.rejects(installer.install(['github://acme/gh-plugin@v9']), (error: unknown) =>
      isPlugboardError(error, 'DIGEST_MISMATCH'),
    );
    await assert.rejects(
      installer.install(['github://acme/gh-plugin@nope']),
      (error: unknown) =>
        isPlugboardError(error, 'NOT_FOUND') && /no such release/.test(error.message),
    );
    assert.equal(
      readFileSync(join(root, 'gh-plugin', '1.2.3', 'manifest.json'), 'utf8').includes('gh-plugin'),
      true,
    );
  } finally {
    await server.close();
    dir.remove();
  }
});

test('github: a private release needs the token, which goes to the API only; assets come with Accept: application/octet-stream', async () => {
  const api = await startStaticServer();
  const storage = await startStaticServer();
  const dir = makeTempDir();
  const savedEnv = process.env['GITHUB_TOKEN'];
  delete process.env['GITHUB_TOKEN'];
  try {
    const bytes = pluginPackage({ name: 'secret-plugin', version: '2.0.0' });
    const auth = 'Bearer private-token';
    const assetPath = '/api/repos/acme/secret-plugin/releases/assets/41';
    api.routes.set('/api/repos/acme/secret-plugin/releases/tags/v2.0.0', {
      requireAuthorization: auth,
      body: JSON.stringify({
        tag_name: 'v2.0.0',
        assets: [
          {
            name: 'secret-plugin-2.0.0.tgz',
            url: `${api.origin}${assetPath}`,
            // Like github.com: the browser URL of a private asset is not reachable with a token.
            browser_download_url: `${api.origin}/dl/secret-plugin-2.0.0.tgz`,
            size: bytes.length,
            digest: sha256Digest(bytes),
          },
        ],
      }),
    });
    // The API answers an asset download with a redirect to a signed storage URL.
    api.routes.set(assetPath, {
      requireAuthorization: auth,
      status: 302,
      body: '',
      headers: { location: `${storage.origin}/signed/secret-plugin.tgz?sig=abc` },
    });
    storage.routes.set('/signed/secret-plugin.tgz?sig=abc', { body: bytes });
    const root = join(dir.path, 'root');
    const reference = 'github://acme/secret-plugin@v2.0.0';

    await assert.rejects(
      new Installer({ installRoot: root, github: { apiUrl: `${api.origin}/api` } }).install([
        reference,
      ]),
      (error: unknown) =>
        isPlugboardError(error, 'NOT_FOUND') && /GITHUB_TOKEN/.test(error.message),
    );
    assert.equal(existsSync(join(root, 'secret-plugin')), false);
    assert.equal(storage.seen.length, 0);

    // The token from the environment when the config names none.
    process.env['GITHUB_TOKEN'] = 'private-token';
    const [outcome] = await new Installer({
      installRoot: root,
      github: { apiUrl: `${api.origin}/api` },
    }).install([reference]);
    assert.equal(outcome?.status, 'installed');
    assert.equal(outcome?.digest, sha256Digest(bytes));
    const assetRequest = api.seen.find((request) => request.line === `GET ${assetPath}`);
    assert.equal(assetRequest?.authorization, auth);
    assert.equal(assetRequest?.accept, 'application/octet-stream');
    assert.equal(storage.seen.length, 1);
    assert.equal(storage.seen[0]?.authorization, undefined, 'the token must not leave the API');
    assert.equal(
      api.seen.some((request) => request.line.startsWith('GET /dl/')),
      false,
    );
  } finally {
    if (savedEnv === undefined) delete process.env['GITHUB_TOKEN'];
    else process.env['GITHUB_TOKEN'] = savedEnv;
    await api.close();
    await storage.close();
    dir.remove();
  }
});

test('github: an asset URL outside the configured API never gets the token', async () => {
  const api = await startStaticServer();
  const elsewhere = await startStaticServer();
  const dir = makeTempDir();
  try {
    const bytes = pluginPackage({ name: 'odd-plugin', version: '1.0.0' });
    api.routes.set('/api/repos/acme/odd-plugin/releases/latest', {
      body: JSON.stringify({
        tag_name: 'v1.0.0',
        assets: [
          {
            name: 'odd-plugin-1.0.0.tgz',
            url: `${elsewhere.origin}/api/repos/acme/odd-plugin/releases/assets/1`,
            browser_download_url: `${elsewhere.origin}/dl/odd-plugin-1.0.0.tgz`,
          },
        ],
      }),
    });
    elsewhere.routes.set('/dl/odd-plugin-1.0.0.tgz', { body: bytes });
    const [outcome] = await new Installer({
      installRoot: join(dir.path, 'root'),
      github: { apiUrl: `${api.origin}/api`, token: 'gh-token' },
    }).install(['github://acme/odd-plugin']);
    assert.equal(outcome?.status, 'installed');
    assert.deepEqual(
      elsewhere.seen.map((request) => [request.line, request.authorization]),
      [['GET /dl/odd-plugin-1.0.0.tgz', undefined]],
    );
  } finally {
    await api.close();
    await elsewhere.close();
    dir.remove();
  }
});

test('s3: path-style below a configured endpoint, SigV4-signed with credentials, .sig next to the object', async () => {
  const server = await startStaticServer();
  const dir = makeTempDir();
  try {
    const key = generateSigningKey('release');
    const bytes = pluginPackage({ name: 'from-s3', version: '1.0.0' });
    server.routes.set('/plugins-bucket/team/from-s3%201.0.0.tgz', { body: bytes });
    server.routes.set('/plugins-bucket/team/from-s3%201.0.0.tgz.sig', {
      body: JSON.stringify(
        signDigest(sha256Digest(bytes), parsePrivateKey(key.privateKeyPem, 'k'), 'release'),
      ),
    });
    const installer = new Installer({
      installRoot: join(dir.path, 'root'),
      s3: {
        endpoint: server.origin,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      },
      trust: {
        keys: [{ keyId: 'release', key: parsePublicKey(key.publicKey, 'k') }],
        requireSignatures: true,
      },
    });
    // Keys are taken literally: the space is percent-encoded in the request path.
    const [outcome] = await installer.install(['s3://plugins-bucket/team/from-s3 1.0.0.tgz']);
    assert.equal(outcome?.name, 'from-s3');
    assert.equal(outcome?.signingKeyId, 'release');
    const objectRequest = server.seen.find(
      (request) => request.line === 'GET /plugins-bucket/team/from-s3%201.0.0.tgz',
    );
    assert.match(
      objectRequest?.authorization ?? '',
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-west-1\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
  } finally {
    await server.close();
    dir.remove();
  }
});

test('gs: download URL below the endpoint with a bearer token; a missing object is NOT_FOUND', async () => {
  const server = await startStaticServer();
  const dir = makeTempDir();
  try {
    server.routes.set('/bucket/from-gs.tgz', {
      body: pluginPackage({ name: 'from-gs', version: '2.0.0' }),
    });
    const installer = new Installer({
      installRoot: join(dir.path, 'root'),
      gs: { endpoint: server.origin, token: 'ya29.token' },
    });
    const [outcome] = await installer.install(['gs://bucket/from-gs.tgz']);
    assert.equal(outcome?.version, '2.0.0');
    assert.equal(outcome?.source, 'gs://bucket/from-gs.tgz');
    assert.equal(
      server.seen.find((r) => r.line === 'GET /bucket/from-gs.tgz')?.authorization,
      'Bearer ya29.token',
    );
    await assert.rejects(installer.install(['gs://bucket/missing.tgz']), (error: unknown) =>
      isPlugboardError(error, 'NOT_FOUND'),
    );
  } finally {
    await server.close();
    dir.remove();
  }
});
