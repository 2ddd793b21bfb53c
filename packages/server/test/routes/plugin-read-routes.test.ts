import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { parseRegistryIndex } from '@plugboard/core';
import { makeTempDir } from '@plugboard/test-support';
import {
  createTestServer,
  json,
  type TestServer,
  type TenantTokens,
} from '../helpers/test-server.js';

const CLOUDFORET_DIR = fileURLToPath(
  new URL('../../../../core/test/fixtures/cloudforet-managed-plugins/', import.meta.url),
);

interface ListBody {
  plugins: Record<string, unknown>[];
  total: number;
  page: number;
  limit: number;
  warnings: string[];
}
interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

describe('plugin read routes', () => {
  let server: TestServer;
  let a: TenantTokens;
  let b: TenantTokens;
  const extra = makeTempDir('plugboard-extra-managed-');

  before(async () => {
    server = await createTestServer({ managed: [CLOUDFORET_DIR, extra.path] });
    a = await server.tenant('tenant-a');
    b = await server.tenant('tenant-b');
    // LOCAL plugins of tenant A around and on top of MANAGED names.
    for (const name of [
      'aaa-first',
      'plugin-aws-ec2-inven-collector',
      'plugin-b-local',
      'zzz-last',
    ]) {
      await server.publish(a.domainId, name, '1.0.0');
    }
  });
  after(async () => {
    await server.close();
    extra.remove();
  });

  const get = (url: string, secret?: string) =>
    server.app.inject({
      method: 'GET',
      url: `/api/v1${url}`,
      headers: secret === undefined ? {} : server.auth(secret),
    });

  it('serves all 35 MANAGED plugins to anonymous readers, paged', async () => {
    const whole = json<ListBody>(await get('/plugins?limit=1000'));
    assert.equal(whole.total, 35);
    assert.ok(whole.plugins.every((plugin) => plugin['repository_type'] === 'MANAGED'));
    const paged: unknown[] = [];
    for (let page = 1; page <= 4; page += 1) {
      const body = json<ListBody>(await get(`/plugins?limit=10&page=${page}`));
      assert.equal(body.total, 35);
      assert.equal(body.page, page);
      assert.equal(body.limit, 10);
      paged.push(...body.plugins);
    }
    assert.deepEqual(paged, whole.plugins);
  });

  it('merges LOCAL and MANAGED: one sort, paging over the boundary, correct total, LOCAL wins', async () => {
    const whole = json<ListBody>(await get('/plugins?limit=1000', a.reader));
    // 35 MANAGED + 4 LOCAL, one of which shadows a MANAGED name.
    assert.equal(whole.total, 38);
    assert.equal(whole.plugins.length, 38);
    const names = whole.plugins.map((plugin) => plugin['name'] as string);
    assert.deepEqual(names, [...names].sort());
    assert.equal(names[0], 'aaa-first');
    assert.equal(names.at(-1), 'zzz-last');
    const shadowed = whole.plugins.find((p) => p['name'] === 'plugin-aws-ec2-inven-collector');
    assert.equal(shadowed?.['repository_type'], 'LOCAL');
    for (const order of ['asc', 'desc']) {
      const reference = json<ListBody>(await get(`/plugins?limit=1000&order=${order}`, a.reader));
      const paged: unknown[] = [];
      for (let page = 1; page <= 6; page += 1) {
        const body = json<ListBody>(
          await get(`/plugins?limit=7&page=${page}&order=${order}`, a.reader),
        );
        assert.equal(body.total, 38, `total on page ${page} (${order})`);
        paged.push(...body.plugins);
      }
      assert.deepEqual(paged, reference.plugins);
    }
    // Sorted by time, LOCAL plugins (published now) come after the fixture files by updated_at.
    const byTime = json<ListBody>(await get('/plugins?limit=1000&sort=updated_at', a.reader));
    const times = byTime.plugins.map((plugin) => plugin['updated_at'] as string);
    assert.deepEqual(times, [...times].sort());
    // Tenant B sees no LOCAL plugin of A.
    const other = json<ListBody>(await get('/plugins?limit=1000', b.reader));
    assert.equal(other.total, 35);
    assert.ok(other.plugins.every((plugin) => plugin['repository_type'] === 'MANAGED'));
    // ?repository= narrows to one repository type.
    const local = json<ListBody>(await get('/plugins?repository=LOCAL', a.reader));
    assert.deepEqual(
      local.plugins.map((plugin) => plugin['name']),
      ['aaa-first', 'plugin-aws-ec2-inven-collector', 'plugin-b-local', 'zzz-last'],
    );
  });

  it('filters by provider, type, label, q and state', async () => {
    const aws = json<ListBody>(await get('/plugins?provider=aws&limit=1000', a.reader));
    assert.ok(aws.total > 5);
    assert.ok(aws.plugins.every((plugin) => (plugin['providers'] as string[]).includes('aws')));
    const label = json<ListBody>(await get('/plugins?label=EC2'));
    assert.ok(label.plugins.some((plugin) => plugin['name'] === 'plugin-aws-ec2-inven-collector'));
    assert.ok(label.plugins.every((plugin) => (plugin['labels'] as string[]).includes('EC2')));
    assert.ok(label.total < 35);
    const q = json<ListBody>(await get('/plugins?q=zzz', a.reader));
    assert.deepEqual(
      q.plugins.map((plugin) => plugin['name']),
      ['zzz-last'],
    );
    const disabled = json<ListBody>(await get('/plugins?state=disabled', a.reader));
    assert.equal(disabled.total, 0);
  });

  it('returns only the selected fields', async () => {
    const body = json<ListBody>(
      await get('/plugins?fields=name,repository_type&limit=3', a.reader),
    );
    assert.equal(body.plugins.length, 3);
    for (const plugin of body.plugins) {
      assert.deepEqual(Object.keys(plugin).sort(), ['name', 'repository_type']);
    }
    const unknown = await get('/plugins?fields=name,secret_sauce');
    assert.equal(unknown.statusCode, 400);
    const error = json<ErrorBody>(unknown).error;
    assert.equal(error.code, 'INVALID_ARGUMENT');
    assert.equal(error.details?.['field'], 'fields');
    assert.match(error.message, /secret_sauce/);
  });

  it('refuses bad query values with 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['/plugins?limit=0', 'limit'],
      ['/plugins?limit=5000', 'limit'],
      ['/plugins?limit=ten', 'limit'],
      ['/plugins?page=0', 'page'],
      ['/plugins?sort=popularity', 'sort'],
      ['/plugins?order=up', 'order'],
      ['/plugins?state=broken', 'state'],
      ['/plugins?repository=ELSEWHERE', 'repository'],
      [`/plugins?q=${'x'.repeat(300)}`, 'q'],
      ['/search?limit=-1', 'limit'],
      ['/plugins/zzz-last/resolve?spec=', 'spec'],
    ];
    for (const [url, field] of cases) {
      const response = await get(url, a.reader);
      assert.equal(response.statusCode, 400, url);
      const error = json<ErrorBody>(response).error;
      assert.equal(error.code, 'INVALID_ARGUMENT', url);
      assert.match(error.message, new RegExp(`querystring\\.${field}\\b`), url);
    }
  });

  it('searches by text and provider (seed 003) with the list shape', async () => {
    const body = json<ListBody>(await get('/search?q=notification&provider=slack'));
    assert.deepEqual(
      body.plugins.map((plugin) => plugin['name']),
      ['plugin-slack-noti-protocol'],
    );
    assert.equal(body.total, 1);
    assert.deepEqual(body.warnings, []);
    assert.equal(body.page, 1);
  });

  it('answers a detail with versions and dist-tags, from the repository asked for', async () => {
    const local = json<Record<string, unknown>>(
      await get('/plugins/plugin-aws-ec2-inven-collector', a.reader),
    );
    assert.equal(local['repository_type'], 'LOCAL');
    assert.deepEqual(
      (local['versions'] as { version: string }[]).map((v) => v.version),
      ['1.0.0'],
    );
    assert.deepEqual(local['dist_tags'], {});
    assert.deepEqual(local['warnings'], []);
    const managed = json<Record<string, unknown>>(
      await get('/plugins/plugin-aws-ec2-inven-collector?repository=MANAGED', a.reader),
    );
    assert.equal(managed['repository_type'], 'MANAGED');
    assert.equal(managed['display_name'], 'AWS EC2 Collector');
    assert.equal((managed['manifest'] as Record<string, unknown>)['type'], 'inventory.Collector');
    const missing = await get('/plugins/no-such-plugin', a.reader);
    assert.equal(missing.statusCode, 404);
    assert.equal(json<ErrorBody>(missing).error.code, 'PLUGIN_NOT_FOUND');
    // B cannot see A's LOCAL plugin; it sees the MANAGED one of the same name.
    const fromB = json<Record<string, unknown>>(await get('/plugins/zzz-last', b.reader));
    assert.equal((fromB as unknown as ErrorBody).error.code, 'PLUGIN_NOT_FOUND');
    const shadowFromB = json<Record<string, unknown>>(
      await get('/plugins/plugin-aws-ec2-inven-collector', b.reader),
    );
    assert.equal(shadowFromB['repository_type'], 'MANAGED');
  });

  describe('versions, manifests and resolution', () => {
    let digest120 = '';
    before(async () => {
      await server.publish(a.domainId, 'resolver', '1.0.0');
      digest120 = await server.publish(a.domainId, 'resolver', '1.2.0');
      await server.publish(a.domainId, 'resolver', '1.3.0');
      await server.publish(a.domainId, 'resolver', '2.0.0-beta.1');
      await server.store.yankVersion(a.domainId, 'resolver', '1.3.0', 'broken build');
      await server.store.deprecateVersion(a.domainId, 'resolver', '1.0.0', 'use 1.2');
    });

    const resolve = async (spec: string) => {
      const response = await get(
        `/plugins/resolver/resolve?spec=${encodeURIComponent(spec)}`,
        a.reader,
      );
      return { status: response.statusCode, body: json<Record<string, unknown>>(response) };
    };

    it('lists versions highest first with yank and deprecation', async () => {
      const body = json<{ versions: Record<string, unknown>[]; total: number }>(
        await get('/plugins/resolver/versions', a.reader),
      );
      assert.equal(body.total, 4);
      assert.deepEqual(
        body.versions.map((v) => [v['version'], v['yanked'], v['yank_reason'], v['deprecated']]),
        [
          ['2.0.0-beta.1', false, undefined, undefined],
          ['1.3.0', true, 'broken build', undefined],
          ['1.2.0', false, undefined, undefined],
          ['1.0.0', false, undefined, 'use 1.2'],
        ],
      );
      const page = json<{ versions: Record<string, unknown>[] }>(
        await get('/plugins/resolver/versions?limit=2&page=2', a.reader),
      );
      assert.deepEqual(
        page.versions.map((v) => v['version']),
        ['1.2.0', '1.0.0'],
      );
    });

    it('resolves ranges, latest, channels and exact versions by core rules', async () => {
      const range = await resolve('^1.2');
      assert.equal(range.status, 200);
      assert.equal(range.body['version'], '1.2.0', 'the yanked 1.3.0 is skipped');
      assert.equal(range.body['repository_type'], 'LOCAL');
      assert.equal(range.body['digest'], digest120);
      assert.equal(
        range.body['manifest_url'],
        'http://localhost:80/api/v1/plugins/resolver/1.2.0/manifest',
      );
      assert.equal(
        range.body['artifact_url'],
        'http://localhost:80/api/v1/plugins/resolver/1.2.0/artifact',
      );
      assert.equal((await resolve('latest')).body['version'], '1.2.0');
      assert.equal((await resolve('beta')).body['version'], '2.0.0-beta.1');
      const yanked = await resolve('1.3.0');
      assert.equal(yanked.body['version'], '1.3.0');
      assert.match((yanked.body['warnings'] as string[])[0] ?? '', /yanked \(broken build\)/);
      const deprecated = await resolve('~1.0');
      assert.equal(deprecated.body['version'], '1.0.0');
      assert.match((deprecated.body['warnings'] as string[]).join(), /deprecated: use 1.2/);
      const none = await resolve('^3');
      assert.equal(none.status, 404);
      assert.equal((none.body as unknown as ErrorBody).error.code, 'VERSION_NOT_FOUND');
      const bad = await resolve('>>nonsense');
      assert.equal(bad.status, 400);
      assert.equal((bad.body as unknown as ErrorBody).error.code, 'VERSION_SPEC_INVALID');
    });

    it('honours the latest dist-tag, ignoring it while it points to a yanked version', async () => {
      await server.store.setDistTag(a.domainId, 'resolver', 'latest', '1.0.0');
      assert.equal((await resolve('latest')).body['version'], '1.0.0');
      const detail = json<Record<string, unknown>>(await get('/plugins/resolver', a.reader));
      assert.equal(detail['latest_version'], '1.0.0');
      assert.equal(detail['deprecated'], true);
      await server.store.setDistTag(a.domainId, 'resolver', 'latest', '1.3.0');
      const skipped = await resolve('latest');
      assert.equal(skipped.body['version'], '1.2.0');
      assert.match(
        (skipped.body['warnings'] as string[]).join(),
        /points to 1.3.0, which is yanked/,
      );
      await server.store.deleteDistTag(a.domainId, 'resolver', 'latest');
    });

    it('serves the manifest of a version, or of a spec', async () => {
      const exact = await get('/plugins/resolver/1.2.0/manifest', a.reader);
      assert.equal(exact.statusCode, 200);
      assert.equal(json(exact)['version'], '1.2.0');
      assert.equal(
        json(await get('/plugins/resolver/latest/manifest', a.reader))['version'],
        '1.2.0',
      );
      const missing = await get('/plugins/resolver/9.9.9/manifest', a.reader);
      assert.equal(missing.statusCode, 404);
      assert.equal(json<ErrorBody>(missing).error.code, 'VERSION_NOT_FOUND');
      const managed = await get('/plugins/plugin-slack-noti-protocol/1.0.0/manifest');
      assert.equal(managed.statusCode, 404, 'an image plugin without tags has no versions');
    });
  });

  it('serves registry.json over a socket that core parses, with absolute manifest URLs', async () => {
    const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const response = await fetch(`${address}/api/v1/registry.json`, {
        headers: server.auth(a.reader),
      });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/);
      const text = await response.text();
      const index = parseRegistryIndex(text);
      assert.equal(index.plugins.length, 39);
      assert.equal(index.registry_metadata?.url, `${address}/api/v1`);
      const resolver = index.plugins.find((plugin) => plugin.name === 'resolver');
      assert.deepEqual(
        resolver?.versions.map((v) => [v.version, v.yanked]),
        [
          ['2.0.0-beta.1', undefined],
          ['1.3.0', 'broken build'],
          ['1.2.0', undefined],
          ['1.0.0', undefined],
        ],
      );
      assert.equal(resolver?.latest_version, '1.2.0');
      const url = resolver?.versions[2]?.manifest_url ?? '';
      assert.equal(url, `${address}/api/v1/plugins/resolver/1.2.0/manifest`);
      const manifest = (await (await fetch(url, { headers: server.auth(a.reader) })).json()) as {
        version: string;
      };
      assert.equal(manifest.version, '1.2.0');
      // Anonymous readers get the MANAGED plugins only.
      const anonymous = parseRegistryIndex(
        await (await fetch(`${address}/api/v1/registry.json`)).text(),
      );
      assert.equal(anonymous.plugins.length, 35);
    } finally {
      await server.app.close();
    }
  });
});

describe('plugin reads with anonymous reading switched off', () => {
  it('answers 401 without a token, and the token reader still reads', async () => {
    const server = await createTestServer({
      anonymousRead: false,
      managed: [CLOUDFORET_DIR],
    });
    try {
      for (const url of [
        '/plugins',
        '/search?q=x',
        '/plugins/plugin-slack-noti-protocol',
        '/registry.json',
      ]) {
        const response = await server.app.inject({ method: 'GET', url: `/api/v1${url}` });
        assert.equal(response.statusCode, 401, url);
        assert.equal(json<ErrorBody>(response).error.code, 'UNAUTHENTICATED');
      }
      const reader = await server.tenant('readers');
      const response = await server.app.inject({
        method: 'GET',
        url: '/api/v1/plugins',
        headers: server.auth(reader.reader),
      });
      assert.equal(json<ListBody>(response).total, 35);
    } finally {
      await server.close();
    }
  });
});
