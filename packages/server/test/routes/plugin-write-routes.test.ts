import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { openProviderStore, type ProviderStore } from '@plugboard/store';
import { makeTempDir } from '@plugboard/test-support';
import { providersUsingPluginFrom } from '../../src/repositories/local/providers-using-plugin.js';
import {
  createTestServer,
  fakeImageVersions,
  json,
  type TestServer,
  type TenantTokens,
} from '../helpers/test-server.js';

const CORE_FIXTURES = new URL('../../../../core/test/fixtures/', import.meta.url);
const fixture = (name: string) => readFileSync(fileURLToPath(new URL(name, CORE_FIXTURES)), 'utf8');

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
type Detail = Record<string, unknown> & {
  versions: { version: string }[];
  manifest: Record<string, unknown>;
  warnings: string[];
};

describe('plugin write routes', () => {
  let server: TestServer;
  let a: TenantTokens;
  let b: TenantTokens;
  const managedDir = makeTempDir('plugboard-write-managed-');
  const images = fakeImageVersions({
    'cloudforet/plugin-aws-ec2-inven-collector': ['1.0.0', 'v1.1.0', 'latest'],
  });

  before(async () => {
    writeFileSync(
      join(managedDir.path, 'managed-echo.json'),
      JSON.stringify({ name: 'managed-echo', version: '1.0.0' }),
    );
    server = await createTestServer({ managed: [managedDir.path], imageVersions: images });
    a = await server.tenant('writer-a');
    b = await server.tenant('writer-b');
  });
  after(async () => {
    await server.close();
    managedDir.remove();
  });

  const send = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    secret: string | undefined,
    payload?: string | object,
    contentType?: string,
  ) =>
    server.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: {
        ...(secret === undefined ? {} : server.auth(secret)),
        ...(contentType === undefined ? {} : { 'content-type': contentType }),
      },
      ...(payload === undefined ? {} : { payload }),
    });

  it('registers native JSON, SpaceONE YAML and an inventory manifest.yml', async () => {
    const native = await send('POST', '/plugins', a.publisher, {
      name: 'native-echo',
      version: '0.1.0',
      description: 'echo',
      capabilities: [{ type: 'echo' }],
    });
    assert.equal(native.statusCode, 201);
    const nativeBody = json<Detail>(native);
    assert.equal(nativeBody['repository_type'], 'LOCAL');
    assert.deepEqual(nativeBody['capabilities'], ['echo']);
    assert.deepEqual(
      nativeBody.versions.map((v) => v.version),
      ['0.1.0'],
    );
    assert.equal(nativeBody['latest_version'], '0.1.0');

    // SpaceONE without plugin_id: the name is the image's base name; versions come from its tags.
    const spaceone = await send(
      'POST',
      '/plugins',
      a.publisher,
      'image: cloudforet/plugin-aws-ec2-inven-collector\nname: AWS EC2\nresource_type: inventory.Collector\nprovider: aws\n',
      'application/yaml',
    );
    assert.equal(spaceone.statusCode, 201, spaceone.body);
    const spaceoneBody = json<Detail>(spaceone);
    assert.equal(spaceoneBody['name'], 'plugin-aws-ec2-inven-collector');
    assert.equal(spaceoneBody['display_name'], 'AWS EC2');
    assert.match(spaceoneBody.warnings.join(), /no plugin_id/);
    assert.deepEqual(
      spaceoneBody.versions.map((v) => v.version),
      ['1.1.0', '1.0.0'],
    );
    assert.deepEqual(spaceoneBody['image'], {
      image: 'cloudforet/plugin-aws-ec2-inven-collector',
    });

    const inventory = await send(
      'POST',
      '/plugins',
      a.publisher,
      fixture('seed-004-vcenter-manifest.yml'),
      'text/plain',
    );
    assert.equal(inventory.statusCode, 201, inventory.body);
    assert.equal(json<Detail>(inventory)['name'], 'vcenter');
    assert.deepEqual(json<Detail>(inventory)['providers'], ['vmware']);

    const listed = json<{ plugins: { name: string }[] }>(
      await send('GET', '/plugins?repository=LOCAL', a.reader),
    );
    assert.deepEqual(
      listed.plugins.map((plugin) => plugin.name),
      ['native-echo', 'plugin-aws-ec2-inven-collector', 'vcenter'],
    );
  });

  it('answers 409 naming the plugin that already exists', async () => {
    await send('POST', '/plugins', a.publisher, { name: 'twice' });
    const again = await send('POST', '/plugins', a.publisher, { name: 'twice', description: 'x' });
    assert.equal(again.statusCode, 409);
    const error = json<ErrorBody>(again).error;
    assert.equal(error.code, 'ALREADY_EXISTS');
    assert.match(error.message, /"twice"/);
    assert.equal(error.details?.['name'], 'twice');
    // The same name in another domain is another plugin.
    assert.equal((await send('POST', '/plugins', b.publisher, { name: 'twice' })).statusCode, 201);
  });

  it('refuses bad manifests, unknown formats and media types without storing anything', async () => {
    const invalid = await send('POST', '/plugins', a.publisher, { name: 'Bad Name', version: '1' });
    assert.equal(invalid.statusCode, 400);
    const invalidError = json<ErrorBody>(invalid).error;
    assert.equal(invalidError.code, 'MANIFEST_INVALID');
    const paths = (invalidError.details?.['problems'] as { path: string }[]).map((p) => p.path);
    assert.deepEqual(paths.sort(), ['name', 'version']);
    const unknown = await send('POST', '/plugins', a.publisher, { hello: 'world' });
    assert.equal(json<ErrorBody>(unknown).error.code, 'FORMAT_UNKNOWN');
    const yaml = await send('POST', '/plugins', a.publisher, 'name: [', 'application/yaml');
    assert.equal(json<ErrorBody>(yaml).error.code, 'PARSE_ERROR');
    const empty = await send('POST', '/plugins', a.publisher, '   ', 'text/plain');
    assert.equal(json<ErrorBody>(empty).error.code, 'INVALID_ARGUMENT');
    const list = await send('POST', '/plugins', a.publisher, '[1]', 'application/json');
    assert.equal(list.statusCode, 400);
    const xml = await send('POST', '/plugins', a.publisher, '<plugin/>', 'application/xml');
    assert.equal(xml.statusCode, 415);
    assert.equal(json<ErrorBody>(xml).error.code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses an image without SemVer tags and leaves nothing behind', async () => {
    const response = await send(
      'POST',
      '/plugins',
      a.publisher,
      'plugin_id: untagged\nimage: example/untagged\nresource_type: inventory.Collector\n',
      'application/yaml',
    );
    assert.equal(response.statusCode, 404);
    assert.equal(json<ErrorBody>(response).error.code, 'VERSION_NOT_FOUND');
    assert.equal(await server.store.getPlugin(a.domainId, 'untagged'), undefined);
  });

  it('patches fields, keeping the manifest in step, and clears with null', async () => {
    await send('POST', '/plugins', a.publisher, {
      name: 'patchable',
      description: 'before',
      labels: ['old'],
    });
    const patched = await send('PATCH', '/plugins/patchable', a.publisher, {
      display_name: 'Patchable',
      description: null,
      labels: ['new'],
      tags: { team: 'core' },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    const body = json<Detail>(patched);
    assert.equal(body['display_name'], 'Patchable');
    assert.equal(body['description'], undefined);
    assert.deepEqual(body['labels'], ['new']);
    assert.deepEqual(body['tags'], { team: 'core' });
    assert.equal(body.manifest['display_name'], 'Patchable');
    assert.equal(body.manifest['description'], undefined);
    assert.deepEqual(body.manifest['labels'], ['new']);
    const label = json<{ total: number }>(await send('GET', '/plugins?label=new', a.reader));
    assert.equal(label.total, 1);

    const replaced = await send('PATCH', '/plugins/patchable', a.publisher, {
      manifest: { name: 'patchable', version: '2.0.0', description: 'whole new manifest' },
    });
    assert.equal(replaced.statusCode, 200, replaced.body);
    assert.equal(json<Detail>(replaced)['description'], 'whole new manifest');
    assert.deepEqual(json<Detail>(replaced)['labels'], []);
    assert.equal(json<Detail>(replaced)['latest_version'], '2.0.0');

    const unknown = await send('PATCH', '/plugins/patchable', a.publisher, { colour: 'red' });
    assert.equal(unknown.statusCode, 400);
    assert.match(json<ErrorBody>(unknown).error.message, /body\.colour/);
    const wrongType = await send('PATCH', '/plugins/patchable', a.publisher, {
      labels: { not: 'a list' },
    });
    assert.equal(wrongType.statusCode, 400);
    assert.match(json<ErrorBody>(wrongType).error.message, /body\.labels/);
    const rename = await send('PATCH', '/plugins/patchable', a.publisher, {
      manifest: { name: 'other-name' },
    });
    assert.equal(rename.statusCode, 400);
    assert.equal((await send('PATCH', '/plugins/nobody', a.publisher, {})).statusCode, 404);
  });

  it('enables and disables a plugin', async () => {
    await send('POST', '/plugins', a.publisher, { name: 'switch' });
    const disabled = await send('POST', '/plugins/switch/disable', a.publisher);
    assert.equal(disabled.statusCode, 200);
    assert.equal(json<Detail>(disabled)['state'], 'disabled');
    const list = json<{ plugins: { name: string }[] }>(
      await send('GET', '/plugins?state=disabled', a.reader),
    );
    assert.deepEqual(
      list.plugins.map((plugin) => plugin.name),
      ['switch'],
    );
    const enabled = await send('POST', '/plugins/switch/enable', a.publisher);
    assert.equal(json<Detail>(enabled)['enabled'], true);
  });

  it('deletes a LOCAL plugin with its versions', async () => {
    await server.publish(a.domainId, 'doomed', '1.0.0');
    const deleted = await send('DELETE', '/plugins/doomed', a.publisher);
    assert.equal(deleted.statusCode, 204);
    assert.equal(deleted.body, '');
    assert.equal((await send('GET', '/plugins/doomed', a.reader)).statusCode, 404);
    assert.equal(await server.store.getVersion(a.domainId, 'doomed', '1.0.0'), undefined);
    assert.equal((await send('DELETE', '/plugins/doomed', a.publisher)).statusCode, 404);
    // ?force=true is accepted (providers that use a plugin do not exist yet).
    await send('POST', '/plugins', a.publisher, { name: 'forced' });
    assert.equal((await send('DELETE', '/plugins/forced?force=true', a.publisher)).statusCode, 204);
  });

  it('refuses writes to MANAGED plugins, naming the repository', async () => {
    const requests: [string, 'PATCH' | 'DELETE' | 'POST', object | undefined][] = [
      ['/plugins/managed-echo', 'PATCH', { description: 'mine now' }],
      ['/plugins/managed-echo', 'DELETE', undefined],
      ['/plugins/managed-echo/disable', 'POST', undefined],
    ];
    for (const [url, method, payload] of requests) {
      const response = await send(method, url, a.admin, payload);
      assert.equal(response.statusCode, 403, `${method} ${url}`);
      const error = json<ErrorBody>(response).error;
      assert.equal(error.code, 'FORBIDDEN');
      assert.match(error.message, /MANAGED repository "managed"/);
    }
    const detail = json<Detail>(await send('GET', '/plugins/managed-echo', a.reader));
    assert.equal(detail['enabled'], true);
    assert.equal(detail['description'], undefined);
  });

  it('needs credentials (401) and the publisher role (403) to write', async () => {
    const anonymous = await send('POST', '/plugins', undefined, { name: 'anon' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(json<ErrorBody>(anonymous).error.code, 'UNAUTHENTICATED');
    const reader = await send('POST', '/plugins', a.reader, { name: 'by-reader' });
    assert.equal(reader.statusCode, 403);
    assert.equal(json<ErrorBody>(reader).error.code, 'FORBIDDEN');
    await send('POST', '/plugins', a.publisher, { name: 'guarded' });
    for (const [method, url] of [
      ['PATCH', '/plugins/guarded'],
      ['DELETE', '/plugins/guarded'],
      ['POST', '/plugins/guarded/disable'],
    ] as const) {
      const payload = method === 'PATCH' ? { description: 'x' } : undefined;
      assert.equal((await send(method, url, a.reader, payload)).statusCode, 403, url);
      assert.equal((await send(method, url, undefined, payload)).statusCode, 401, url);
    }
    assert.equal(await server.store.getPlugin(a.domainId, 'by-reader'), undefined);
    assert.equal((await server.store.getPlugin(a.domainId, 'guarded'))?.enabled, true);
  });

  it("keeps tenants apart: B can neither see nor change A's LOCAL plugin", async () => {
    await send('POST', '/plugins', a.publisher, { name: 'a-secret', description: 'of A' });
    assert.equal((await send('GET', '/plugins/a-secret', b.admin)).statusCode, 404);
    const listed = json<{ plugins: { name: string }[] }>(
      await send('GET', '/plugins?limit=1000', b.admin),
    );
    assert.ok(!listed.plugins.some((plugin) => plugin.name === 'a-secret'));
    assert.equal(
      json<{ total: number }>(await send('GET', '/search?q=a-secret', b.admin)).total,
      0,
    );
    assert.equal(
      (await send('PATCH', '/plugins/a-secret', b.admin, { description: 'of B' })).statusCode,
      404,
    );
    assert.equal((await send('POST', '/plugins/a-secret/disable', b.admin)).statusCode, 404);
    assert.equal((await send('DELETE', '/plugins/a-secret', b.admin)).statusCode, 404);
    const stillA = await server.store.getPlugin(a.domainId, 'a-secret');
    assert.equal(stillA?.description, 'of A');
    assert.equal(stillA?.enabled, true);
    // B registering the same name makes B's own plugin, not a change to A's.
    await send('POST', '/plugins', b.publisher, { name: 'a-secret', description: 'of B' });
    assert.equal(
      json<Detail>(await send('GET', '/plugins/a-secret', a.reader))['description'],
      'of A',
    );
  });
});

describe('deleting a plugin that providers use', () => {
  let providers: ProviderStore | undefined;
  let server: TestServer;
  let a: TenantTokens;
  let b: TenantTokens;

  before(async () => {
    server = await createTestServer({
      providersUsingPlugin: (store) =>
        providersUsingPluginFrom(store, {
          listProvidersOfPlugin: async (vendor, providerType, domainId) =>
            (await providers?.listProvidersOfPlugin(vendor, providerType, domainId)) ?? [],
        }),
    });
    providers = await openProviderStore(server.config.database);
    a = await server.tenant('users-a');
    b = await server.tenant('users-b');
    for (const tenant of [a, b]) {
      const registered = await server.app.inject({
        method: 'POST',
        url: '/api/v1/plugins',
        headers: { ...server.auth(tenant.publisher), 'content-type': 'text/plain' },
        payload: fixture('seed-004-vcenter-manifest.yml'),
      });
      assert.equal(registered.statusCode, 201, registered.body);
    }
  });
  after(async () => {
    await providers?.close();
    await server.close();
  });

  const remove = (tenant: TenantTokens, query = '') =>
    server.app.inject({
      method: 'DELETE',
      url: `/api/v1/plugins/vcenter${query}`,
      headers: server.auth(tenant.publisher),
    });

  it('answers 409 naming the providers unless forced; other domains do not count', async () => {
    const provider = await providers?.createProvider(a.domainId, {
      name: 'lab vcenter',
      vendor: 'vmware',
      providerType: 'vcenter',
      config: {},
      secretKeys: [],
    });
    assert.ok(provider !== undefined);
    const refused = await remove(a);
    assert.equal(refused.statusCode, 409);
    const error = json<ErrorBody>(refused).error;
    assert.equal(error.code, 'CONFLICT');
    assert.deepEqual(error.details?.['providers'], [provider.id]);
    assert.match(error.message, /\?force=true/);
    assert.notEqual(await server.store.getPlugin(a.domainId, 'vcenter'), undefined);
    // B's plugin of the same name is used by none of B's providers.
    assert.equal((await remove(b)).statusCode, 204);
    assert.equal((await remove(a, '?force=true')).statusCode, 204);
    assert.equal(await server.store.getPlugin(a.domainId, 'vcenter'), undefined);
  });
});
