import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeTempDir } from '@plugboard/test-support';
import { createTestServer, type TenantTokens, type TestServer } from '../helpers/test-server.js';
import { pluginPackage } from './publish-packages.js';

interface ErrorBody {
  error: { code: string; message: string };
}
interface VersionBody {
  name: string;
  version: string;
  yanked: boolean;
  yank_reason?: string;
  deprecated?: string;
}
interface Detail {
  latest_version?: string;
  deprecated: boolean;
  dist_tags: Record<string, string>;
  versions: VersionBody[];
}
interface Resolved {
  version: string;
  warnings: string[];
}

const body = <T>(response: { body: string }) => JSON.parse(response.body) as T;

describe('yank, deprecate and dist-tags of LOCAL versions', () => {
  let server: TestServer;
  let tenant: TenantTokens;
  let other: TenantTokens;
  const managed = makeTempDir('plugboard-admin-managed-');

  before(async () => {
    writeFileSync(
      join(managed.path, 'managed-tool.json'),
      JSON.stringify({ name: 'managed-tool', version: '1.0.0' }),
    );
    server = await createTestServer({ managed: [managed.path] });
    tenant = await server.tenant('admins-a');
    other = await server.tenant('admins-b');
    for (const version of ['1.0.0', '1.1.0', '1.2.0-beta.1']) {
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/v1/publish',
        headers: {
          authorization: `Bearer ${tenant.publisher}`,
          'content-type': 'application/gzip',
        },
        payload: pluginPackage('lifecycle', version),
      });
      assert.equal(response.statusCode, 201, response.body);
    }
  });
  after(async () => {
    await server.close();
    managed.remove();
  });

  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    secret: string = tenant.publisher,
    payload?: object,
  ) =>
    server.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${secret}` },
      ...(payload === undefined ? {} : { payload }),
    });
  const detail = async () => body<Detail>(await call('GET', '/plugins/lifecycle', tenant.reader));
  const resolve = async (spec: string) =>
    body<Resolved>(
      await call(
        'GET',
        `/plugins/lifecycle/resolve?spec=${encodeURIComponent(spec)}`,
        tenant.reader,
      ),
    );

  test('a yanked version shows in the detail and resolution skips it until unyanked', async () => {
    assert.equal((await resolve('^1.0.0')).version, '1.1.0');
    const yanked = await call('POST', '/plugins/lifecycle/1.1.0/yank', tenant.publisher, {
      reason: 'CVE-2026-0001',
    });
    assert.equal(yanked.statusCode, 200, yanked.body);
    assert.deepEqual(
      { ...body<VersionBody>(yanked) },
      {
        ...body<VersionBody>(yanked),
        name: 'lifecycle',
        yanked: true,
        yank_reason: 'CVE-2026-0001',
      },
    );
    const view = (await detail()).versions.find((v) => v.version === '1.1.0');
    assert.equal(view?.yanked, true);
    assert.equal(view?.yank_reason, 'CVE-2026-0001');
    assert.equal((await resolve('^1.0.0')).version, '1.0.0');
    assert.equal((await detail()).latest_version, '1.0.0');
    // Asked for exactly, a yanked version still resolves (lock files keep working), with a warning.
    const exact = await resolve('1.1.0');
    assert.equal(exact.version, '1.1.0');
    assert.ok(
      exact.warnings.some((w) => w.includes('yanked')),
      exact.warnings.join('; '),
    );

    const unyanked = await call('DELETE', '/plugins/lifecycle/1.1.0/yank');
    assert.equal(unyanked.statusCode, 200, unyanked.body);
    assert.equal(body<VersionBody>(unyanked).yanked, false);
    assert.equal((await resolve('^1.0.0')).version, '1.1.0');
  });

  test('a yank without a body is allowed', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/plugins/lifecycle/1.0.0/yank',
      headers: { authorization: `Bearer ${tenant.publisher}` },
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(body<VersionBody>(response).yanked, true);
    assert.equal((await call('DELETE', '/plugins/lifecycle/1.0.0/yank')).statusCode, 200);
  });

  test('a deprecation message shows in the detail and in resolve warnings; empty lifts it', async () => {
    const response = await call('POST', '/plugins/lifecycle/1.1.0/deprecate', tenant.publisher, {
      message: 'use 2.x',
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(body<VersionBody>(response).deprecated, 'use 2.x');
    const current = await detail();
    assert.equal(current.versions.find((v) => v.version === '1.1.0')?.deprecated, 'use 2.x');
    assert.equal(current.deprecated, true);
    const resolved = await resolve('^1.0.0');
    assert.equal(resolved.version, '1.1.0');
    assert.ok(
      resolved.warnings.some((w) => w.includes('use 2.x')),
      resolved.warnings.join('; '),
    );
    const lifted = await call('POST', '/plugins/lifecycle/1.1.0/deprecate', tenant.publisher, {
      message: '',
    });
    assert.equal(body<VersionBody>(lifted).deprecated, undefined);
    assert.equal((await detail()).deprecated, false);
  });

  test('dist-tags point at versions, show in the detail, resolve as channels, and go away', async () => {
    const set = await call('PUT', '/plugins/lifecycle/dist-tags/beta', tenant.publisher, {
      version: '1.2.0-beta.1',
    });
    assert.equal(set.statusCode, 200, set.body);
    assert.equal(
      body<{ dist_tags: Record<string, string> }>(set).dist_tags['beta'],
      '1.2.0-beta.1',
    );
    assert.equal((await detail()).dist_tags['beta'], '1.2.0-beta.1');
    assert.equal((await resolve('beta')).version, '1.2.0-beta.1');

    const latest = await call('PUT', '/plugins/lifecycle/dist-tags/latest', tenant.publisher, {
      version: '1.0.0',
    });
    assert.equal(latest.statusCode, 200, latest.body);
    assert.equal((await resolve('latest')).version, '1.0.0');

    const removed = await call('DELETE', '/plugins/lifecycle/dist-tags/beta');
    assert.equal(removed.statusCode, 200, removed.body);
    assert.equal((await detail()).dist_tags['beta'], undefined);
    assert.equal((await call('DELETE', '/plugins/lifecycle/dist-tags/latest')).statusCode, 200);
    assert.equal((await resolve('latest')).version, '1.1.0');
  });

  test('refusals: unknown version, bad tag, missing body field, weak role, other tenant, MANAGED', async () => {
    const cases: [Awaited<ReturnType<typeof call>>, number, string][] = [
      [
        await call('POST', '/plugins/lifecycle/9.9.9/yank', tenant.publisher, {}),
        404,
        'VERSION_NOT_FOUND',
      ],
      [
        await call('PUT', '/plugins/lifecycle/dist-tags/beta', tenant.publisher, {
          version: '9.9.9',
        }),
        404,
        'VERSION_NOT_FOUND',
      ],
      [
        await call('PUT', '/plugins/lifecycle/dist-tags/Not_A_Tag', tenant.publisher, {
          version: '1.0.0',
        }),
        400,
        'INVALID_ARGUMENT',
      ],
      [
        await call('POST', '/plugins/lifecycle/1.0.0/deprecate', tenant.publisher, {}),
        400,
        'INVALID_ARGUMENT',
      ],
      [await call('DELETE', '/plugins/lifecycle/dist-tags/nope'), 404, 'NOT_FOUND'],
      [await call('POST', '/plugins/lifecycle/1.0.0/yank', tenant.reader, {}), 403, 'FORBIDDEN'],
      [
        await call('POST', '/plugins/lifecycle/1.0.0/yank', other.publisher, {}),
        404,
        'PLUGIN_NOT_FOUND',
      ],
      [
        await call('POST', '/plugins/managed-tool/1.0.0/yank', tenant.publisher, {}),
        409,
        'CONFLICT',
      ],
      [
        await call('PUT', '/plugins/managed-tool/dist-tags/beta', tenant.publisher, {
          version: '1.0.0',
        }),
        409,
        'CONFLICT',
      ],
    ];
    for (const [response, status, code] of cases) {
      assert.equal(response.statusCode, status, response.body);
      assert.equal(body<ErrorBody>(response).error.code, code, response.body);
    }
    const unchanged = (await detail()).versions.find((v) => v.version === '1.0.0');
    assert.equal(unchanged?.yanked, false, 'no refused call changed anything');
  });
});
