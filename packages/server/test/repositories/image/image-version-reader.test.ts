import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { isPlugboardError } from '@plugboard/core';
import { skipUnlessAvailable } from '@plugboard/test-support';
import { assertImageHasVersions } from '../../../src/repositories/image/assert-image-has-versions.js';
import { ImageVersionReader } from '../../../src/repositories/image/image-version-reader.js';
import {
  REGISTRY_USER,
  TOKEN_SERVICE,
  dockerRegistryAvailable,
  freePort,
  mintRegistryToken,
  pushImageTags,
  startTestRegistry,
  type TestRegistry,
} from '../../helpers/oci-registry.js';

const skip = skipUnlessAvailable(
  'docker-registry',
  dockerRegistryAvailable(),
  'apt-get install -y docker-registry skopeo',
);

const TAGS = ['1.0.0', 'v1.2.0', 'latest', '0.9.0-beta.1', '1.10.0', 'not-semver', 'v2', '1.2.0'];
const EXPECTED = ['1.10.0', '1.2.0', '1.0.0', '0.9.0-beta.1'];

/** A fetch that records every URL it was asked for, then does the real request. */
function recordingFetch(): { fetch: typeof fetch; urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    fetch: (input, init) => {
      urls.push(input instanceof Request ? input.url : String(input));
      return fetch(input, init);
    },
  };
}

function hasCode(code: string, status?: number) {
  return (error: unknown) => {
    assert.ok(isPlugboardError(error), `expected a PlugboardError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (status !== undefined) assert.equal(error.details?.['status'], status);
    return true;
  };
}

describe('image versions from an open docker-registry', { skip }, () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startTestRegistry();
    await pushImageTags(registry.url, 'plugins/collector', TAGS);
    await pushImageTags(registry.url, 'plugins/unversioned', ['latest', 'main']);
  });
  after(async () => registry.stop());

  test('keeps SemVer tags (with or without v), highest first, across Link pages', async () => {
    const recorder = recordingFetch();
    const reader = new ImageVersionReader({ fetch: recorder.fetch, pageSize: 3 });
    const versions = await reader.versions('plugins/collector', { url: registry.url });
    assert.deepEqual(
      versions.map((v) => v.version),
      EXPECTED,
    );
    // 1.2.0 exists as both `1.2.0` and `v1.2.0`: the plain tag is kept for pulling.
    assert.equal(versions.find((v) => v.version === '1.2.0')?.tag, '1.2.0');
    // 8 tags at 3 per page: later pages were reached through the `Link` header's `last=`
    // (distribution 2.8 sizes its pages loosely, so only "more than one" is certain).
    assert.ok(recorder.urls.length >= 2, recorder.urls.join('\n'));
    assert.ok(recorder.urls.slice(1).every((url) => url.includes('last=')));
  });

  test('an image named with the registry host and a tag lists every tag', async () => {
    const reader = new ImageVersionReader();
    const host = new URL(registry.url).host;
    const versions = await reader.versions(`${host}/plugins/collector:1.0.0`, {
      url: registry.url,
    });
    assert.deepEqual(
      versions.map((v) => v.version),
      EXPECTED,
    );
  });

  test('caches for the TTL, shares one round between concurrent callers, and invalidates', async () => {
    let clock = 1_000;
    const recorder = recordingFetch();
    const reader = new ImageVersionReader({
      fetch: recorder.fetch,
      ttlMs: 5_000,
      now: () => clock,
    });
    const registryRef = { url: registry.url };
    await Promise.all([
      reader.versions('plugins/collector', registryRef),
      reader.versions('plugins/collector', registryRef),
    ]);
    assert.equal(recorder.urls.length, 1);
    clock += 4_000;
    await reader.versions('plugins/collector', registryRef);
    assert.equal(recorder.urls.length, 1, 'still fresh');
    clock += 2_000;
    await reader.versions('plugins/collector', registryRef);
    assert.equal(recorder.urls.length, 2, 'expired after the TTL');
    reader.invalidate('plugins/collector', registryRef);
    await reader.versions('plugins/collector', registryRef);
    assert.equal(recorder.urls.length, 3, 'read again after invalidate');
  });

  test('an unknown image and an image without SemVer tags have no versions and are refused', async () => {
    const reader = new ImageVersionReader();
    const registryRef = { url: registry.url };
    assert.deepEqual(await reader.versions('plugins/missing', registryRef), []);
    assert.deepEqual(await reader.versions('plugins/unversioned', registryRef), []);
    await assert.rejects(
      assertImageHasVersions(reader, 'plugins/unversioned', registryRef),
      (error: unknown) => {
        hasCode('VERSION_NOT_FOUND')(error);
        assert.match((error as Error).message, /plugins\/unversioned/);
        return true;
      },
    );
    const versions = await assertImageHasVersions(reader, 'plugins/collector', registryRef);
    assert.equal(versions[0]?.version, '1.10.0');
  });

  test('assertImageHasVersions sees a tag pushed after a cached empty answer', async () => {
    const reader = new ImageVersionReader({ ttlMs: 600_000 });
    const registryRef = { url: registry.url };
    assert.deepEqual(await reader.versions('plugins/late', registryRef), []);
    await pushImageTags(registry.url, 'plugins/late', ['0.1.0']);
    const versions = await assertImageHasVersions(reader, 'plugins/late', registryRef);
    assert.deepEqual(
      versions.map((v) => v.version),
      ['0.1.0'],
    );
  });
});

describe('image versions from a docker-registry with Basic auth', { skip }, () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startTestRegistry({ kind: 'basic' });
    const basic = `Basic ${Buffer.from(`${REGISTRY_USER.username}:${REGISTRY_USER.password}`).toString('base64')}`;
    await pushImageTags(registry.url, 'private/collector', ['1.0.0', '2.0.0'], basic);
  });
  after(async () => registry.stop());

  test('answers the Basic challenge with the configured credentials', async () => {
    const reader = new ImageVersionReader();
    const versions = await reader.versions('private/collector', {
      url: registry.url,
      credentials: REGISTRY_USER,
    });
    assert.deepEqual(
      versions.map((v) => v.version),
      ['2.0.0', '1.0.0'],
    );
  });

  test('without or with wrong credentials it fails as UNAVAILABLE naming the 401', async () => {
    const reader = new ImageVersionReader();
    await assert.rejects(
      reader.versions('private/collector', { url: registry.url }),
      hasCode('UNAVAILABLE', 401),
    );
    await assert.rejects(
      reader.versions('private/collector', {
        url: registry.url,
        credentials: { username: REGISTRY_USER.username, password: 'wrong' },
      }),
      hasCode('UNAVAILABLE', 401),
    );
  });
});

describe(
  'image versions from a docker-registry with a token service (Bearer challenge)',
  { skip },
  () => {
    let registry: TestRegistry;
    let tokenService: Server;
    const tokenRequests: { url: URL; authorization: string | undefined }[] = [];

    before(async () => {
      const port = await freePort();
      tokenService = createServer((request: IncomingMessage, response) => {
        const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
        tokenRequests.push({ url, authorization: request.headers.authorization });
        const expected = `Basic ${Buffer.from(`${REGISTRY_USER.username}:${REGISTRY_USER.password}`).toString('base64')}`;
        if (request.headers.authorization !== expected) {
          response.writeHead(401, { 'content-type': 'application/json' });
          response.end('{"details":"incorrect username or password"}');
          return;
        }
        // Grants what the scope asks for, like a permissive token service.
        const [, repository = '', actions = ''] = (url.searchParams.get('scope') ?? '').split(':');
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            token: mintRegistryToken(repository, actions.split(',')),
            expires_in: 300,
          }),
        );
      });
      await new Promise<void>((resolve) => tokenService.listen(port, '127.0.0.1', resolve));
      registry = await startTestRegistry({
        kind: 'token',
        realm: `http://127.0.0.1:${port}/token`,
      });
      const push = `Bearer ${mintRegistryToken('team/exporter', ['pull', 'push'])}`;
      await pushImageTags(
        registry.url,
        'team/exporter',
        ['v0.1.0', 'v0.2.0', '0.3.0-rc.1', 'edge'],
        push,
      );
    });
    after(async () => {
      await registry.stop();
      await new Promise<void>((resolve) => tokenService.close(() => resolve()));
    });

    test('gets a pull token from the realm with service and scope, and reuses it across pages', async () => {
      tokenRequests.length = 0;
      const recorder = recordingFetch();
      const reader = new ImageVersionReader({ fetch: recorder.fetch, pageSize: 2 });
      const versions = await reader.versions('team/exporter', {
        url: registry.url,
        credentials: REGISTRY_USER,
      });
      assert.deepEqual(
        versions.map((v) => `${v.version}=${v.tag}`),
        ['0.3.0-rc.1=0.3.0-rc.1', '0.2.0=v0.2.0', '0.1.0=v0.1.0'],
      );
      assert.equal(tokenRequests.length, 1, 'one token for every page');
      const [request] = tokenRequests;
      assert.equal(request?.url.searchParams.get('service'), TOKEN_SERVICE);
      assert.equal(request?.url.searchParams.get('scope'), 'repository:team/exporter:pull');
      assert.ok(recorder.urls.filter((url) => url.includes('/tags/list')).length >= 3);
    });

    test('the token service refusing anonymous access fails as UNAVAILABLE', async () => {
      const reader = new ImageVersionReader();
      await assert.rejects(
        reader.versions('team/exporter', { url: registry.url }),
        hasCode('UNAVAILABLE', 401),
      );
    });
  },
);

test('an unreachable registry fails as UNAVAILABLE, and a failure is not cached', async () => {
  const port = await freePort();
  const reader = new ImageVersionReader({ timeoutMs: 5_000 });
  await assert.rejects(
    reader.versions('plugins/collector', { url: `http://127.0.0.1:${port}` }),
    hasCode('UNAVAILABLE'),
  );
  await assert.rejects(
    reader.versions('plugins/collector', { url: `http://127.0.0.1:${port}` }),
    hasCode('UNAVAILABLE'),
  );
});
