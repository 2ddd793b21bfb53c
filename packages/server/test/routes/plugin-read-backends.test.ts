import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  makeTempDir,
  skipUnlessAvailable,
  POSTGRES_HOW_TO_ENABLE,
  findTestPostgresUrl,
  privateSchema,
} from '@plugboard/test-support';
import { createTestServer, fakeImageVersions } from '../helpers/test-server.js';

/** Every read the comparison makes; sorting by time is left out (timestamps differ per run). */
const READS = [
  '/plugins',
  '/plugins?limit=3&page=2',
  '/plugins?limit=4&page=2&order=desc',
  '/plugins?q=ECHO',
  '/plugins?provider=aws',
  '/plugins?capability=echo',
  '/plugins?label=beta',
  '/plugins?type=inventory.Collector',
  '/plugins?state=disabled',
  '/plugins?repository=LOCAL&fields=name,latest_version,deprecated',
  '/plugins?repository=MANAGED',
  '/search?q=col&provider=aws',
  '/plugins/echo',
  '/plugins/echo?repository=MANAGED',
  '/plugins/echo/versions',
  '/plugins/echo/resolve?spec=%5E1',
  '/plugins/echo/resolve?spec=latest',
  '/plugins/echo/resolve?spec=beta',
  '/plugins/echo/resolve?spec=1.1.0',
  '/plugins/echo/resolve?spec=%5E9',
  '/plugins/echo/1.0.0/manifest',
  '/plugins/echo/latest/manifest',
  '/plugins/collector',
  '/plugins/collector/resolve?spec=%5E2',
  '/plugins/nothing-here',
  '/plugins?limit=0',
  '/registry.json',
];

/** Sets up the same catalog and answers every read; times and request ids are masked. */
async function readApiAnswers(database: string | undefined): Promise<string[]> {
  const folder = makeTempDir('plugboard-backends-');
  writeFileSync(
    join(folder.path, 'echo.json'),
    JSON.stringify({ name: 'echo', version: '0.9.0', description: 'managed echo' }),
  );
  writeFileSync(
    join(folder.path, 'aws-ec2.yaml'),
    'plugin_id: aws-ec2\nimage: cloudforet/aws-ec2\nresource_type: inventory.Collector\nprovider: aws\nlabels: [EC2, beta]\n',
  );
  const server = await createTestServer({
    database,
    managed: [folder.path],
    imageVersions: fakeImageVersions({ 'example/collector': ['2.0.0', '2.1.0', 'v2.2.0-rc.1'] }),
  });
  try {
    const tenant = await server.tenant('alpha');
    for (const version of ['1.0.0', '1.1.0', '1.2.0', '2.0.0-beta.1']) {
      await server.publish(tenant.domainId, 'echo', version, {
        capabilities: [{ type: 'echo' }],
        labels: ['beta'],
      });
    }
    await server.store.yankVersion(tenant.domainId, 'echo', '1.2.0', 'bad');
    await server.store.deprecateVersion(tenant.domainId, 'echo', '1.1.0', 'use 1.2');
    await server.store.setDistTag(tenant.domainId, 'echo', 'beta', '2.0.0-beta.1');
    const register = async (payload: string, contentType: string) => {
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/v1/plugins',
        headers: { ...server.auth(tenant.publisher), 'content-type': contentType },
        payload,
      });
      assert.equal(response.statusCode, 201, response.body);
    };
    await register(
      'image: example/collector\nresource_type: inventory.Collector\nprovider: aws\n',
      'application/yaml',
    );
    await register(JSON.stringify({ name: 'quiet', description: 'Off' }), 'application/json');
    await server.app.inject({
      method: 'POST',
      url: '/api/v1/plugins/quiet/disable',
      headers: server.auth(tenant.publisher),
    });
    const answers: string[] = [];
    for (const url of READS) {
      const response = await server.app.inject({
        method: 'GET',
        url: `/api/v1${url}`,
        headers: server.auth(tenant.reader),
      });
      answers.push(
        `${url} ${response.statusCode} ${response.body
          .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
          .replace(/"requestId":"[^"]+"/g, '"requestId":"<id>"')}`,
      );
    }
    return answers;
  } finally {
    await server.close();
    folder.remove();
  }
}

const postgresUrl = await findTestPostgresUrl();
const skip = skipUnlessAvailable('PostgreSQL', postgresUrl !== undefined, POSTGRES_HOW_TO_ENABLE);

describe('the read API on SQLite and PostgreSQL', () => {
  let sqlite: string[] = [];
  before(async () => {
    sqlite = await readApiAnswers(undefined);
  });

  it('answers the reads sensibly on SQLite', () => {
    const statusOf = (url: string) =>
      sqlite.find((line) => line.startsWith(`${url} `))?.split(' ')[1];
    assert.equal(statusOf('/plugins'), '200');
    assert.equal(statusOf('/plugins/nothing-here'), '404');
    assert.equal(statusOf('/plugins?limit=0'), '400');
    assert.equal(statusOf('/plugins/echo/resolve?spec=%5E9'), '404');
    assert.match(sqlite.find((line) => line.startsWith('/plugins ')) ?? '', /"total":4/);
    assert.match(
      sqlite.find((line) => line.startsWith('/plugins/echo/resolve?spec=%5E1 ')) ?? '',
      /"version":"1.1.0"/,
    );
    assert.match(
      sqlite.find((line) => line.startsWith('/plugins/collector ')) ?? '',
      /"latest_version":"2.1.0"/,
    );
  });

  describe('on PostgreSQL', { skip }, () => {
    const schema = privateSchema(postgresUrl ?? 'postgres://unavailable');
    after(() => schema.drop());

    it('answers every read exactly as SQLite does', async () => {
      const postgres = await readApiAnswers(schema.url);
      assert.equal(postgres.length, READS.length);
      for (let index = 0; index < READS.length; index += 1) {
        assert.equal(postgres[index], sqlite[index], READS[index]);
      }
    });
  });
});
