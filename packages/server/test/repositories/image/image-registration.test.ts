import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { skipUnlessAvailable } from '@plugboard/test-support';
import { ImageVersionReader } from '../../../src/repositories/image/image-version-reader.js';
import { pluginImageVersionsFrom } from '../../../src/repositories/local/plugin-image-versions.js';
import {
  dockerRegistryAvailable,
  pushImageTags,
  startTestRegistry,
  type TestRegistry,
} from '../../helpers/oci-registry.js';
import { createTestServer, type TenantTokens, type TestServer } from '../../helpers/test-server.js';

const skip = skipUnlessAvailable(
  'docker-registry',
  dockerRegistryAvailable(),
  'apt-get install -y docker-registry skopeo',
);

describe('registering image plugins against a real docker-registry', { skip }, () => {
  let registry: TestRegistry;
  let server: TestServer;
  let tenant: TenantTokens;

  before(async () => {
    registry = await startTestRegistry();
    await pushImageTags(registry.url, 'cloudforet/plugin-tagged', ['1.0.0', 'v1.1.0', 'latest']);
    await pushImageTags(registry.url, 'cloudforet/plugin-untagged', ['latest', 'stable']);
    server = await createTestServer({
      imageVersions: pluginImageVersionsFrom(new ImageVersionReader()),
    });
    tenant = await server.tenant('images');
  });
  after(async () => {
    await server.close();
    await registry.stop();
  });

  // SpaceONE's registration payload (seed 000): the registry given as an address in registry_type.
  const register = (pluginId: string, image: string) =>
    server.app.inject({
      method: 'POST',
      url: '/api/v1/plugins',
      headers: { authorization: `Bearer ${tenant.publisher}`, 'content-type': 'application/yaml' },
      payload: [
        `plugin_id: ${pluginId}`,
        `name: ${pluginId} collector`,
        `image: ${image}`,
        `registry_type: ${registry.url}`,
        'resource_type: inventory.Collector',
        'provider: aws',
        '',
      ].join('\n'),
    });

  test('an image with SemVer tags registers and lists them as versions, highest first', async () => {
    const response = await register('plugin-tagged', 'cloudforet/plugin-tagged');
    assert.equal(response.statusCode, 201, response.body);
    const detail = JSON.parse(response.body) as { versions: { version: string }[] };
    assert.deepEqual(
      detail.versions.map((v) => v.version),
      ['1.1.0', '1.0.0'],
    );
  });

  for (const [pluginId, image] of [
    ['plugin-untagged', 'cloudforet/plugin-untagged'],
    ['plugin-missing', 'cloudforet/plugin-missing'],
  ] as const) {
    test(`${image} (no SemVer tag) is refused with VERSION_NOT_FOUND and leaves nothing`, async () => {
      const response = await register(pluginId, image);
      assert.equal(response.statusCode, 404, response.body);
      const error = (JSON.parse(response.body) as { error: { code: string; message: string } })
        .error;
      assert.equal(error.code, 'VERSION_NOT_FOUND');
      assert.match(error.message, new RegExp(image));
      assert.equal(await server.store.getPlugin(tenant.domainId, pluginId), undefined);
      const list = await server.store.listPlugins(tenant.domainId, { q: pluginId });
      assert.equal(list.total, 0);
    });
  }
});
