import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { skipUnlessAvailable } from '@plugboard/test-support';
import { parse } from 'yaml';
import {
  dockerRegistryAvailable,
  pushImageTags,
  startDockerRegistry,
  type DockerRegistry,
} from './docker-registry.js';
import {
  clientWorkspace,
  startRegistryServer,
  type ClientWorkspace,
  type TestRegistryServer,
} from './plugboard-workspace.js';

const skip = skipUnlessAvailable(
  'docker-registry',
  dockerRegistryAvailable(),
  'apt-get install -y docker-registry',
);

describe('SpaceONE style: register -f and plugins (seed 002)', { skip }, () => {
  let images: DockerRegistry;
  let registry: TestRegistryServer;
  let client: ClientWorkspace;

  before(async () => {
    [images, registry] = await Promise.all([startDockerRegistry(), startRegistryServer()]);
    await pushImageTags(images.url, 'pyengine/plugin-slack-notification-protocol', [
      '1.0.0',
      '1.2.0',
      'latest',
    ]);
    await pushImageTags(images.url, 'pyengine/plugin-email-notification-protocol', ['0.9.0']);
    client = clientWorkspace(registry.origin, registry.adminToken);
  });
  after(async () => {
    client.remove();
    await Promise.all([registry.close(), images.stop()]);
  });

  const slackYaml = () => `name: Slack Notification Protocol
service_type: notification.Protocol
image: pyengine/plugin-slack-notification-protocol
registry_type: ${images.url}
capability:
  supported_schema:
    - slack_webhook
  data_type: SECRET
tags:
  description: Slack
  "spaceone:plugin_name": Slack
  icon: 'https://spaceone-custom-assets.s3.ap-northeast-2.amazonaws.com/console-assets/icons/slack.svg'
provider: slack
template: {}
`;

  test('plugins on an empty registry prints NO DATA', async () => {
    const result = await client.run(['plugins', '-p', 'service_type=notification.Protocol']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'NO DATA\n');
  });

  test('register -f plugin.yml stores the image plugin and prints the record as YAML', async () => {
    writeFileSync(join(client.cwd, 'plugin_slack_notification_protocol.yml'), slackYaml());
    const result = await client.run([
      'register',
      'repository.Plugin',
      '-f',
      'plugin_slack_notification_protocol.yml',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const record = parse(result.stdout) as {
      name: string;
      display_name: string;
      versions: { version: string }[];
      image: { image: string };
    };
    assert.equal(record.name, 'plugin-slack-notification-protocol');
    assert.equal(record.display_name, 'Slack Notification Protocol');
    assert.equal(record.image.image, 'pyengine/plugin-slack-notification-protocol');
    assert.deepEqual(
      record.versions.map((v) => v.version),
      ['1.2.0', '1.0.0'],
    );

    writeFileSync(
      join(client.cwd, 'email.yml'),
      `name: Email Notification Protocol\nservice_type: notification.Protocol\nimage: pyengine/plugin-email-notification-protocol\nregistry_type: ${images.url}\nprovider: email\n`,
    );
    assert.equal((await client.run(['register', '-f', 'email.yml'])).code, 0);
    const again = await client.run(['register', '-f', 'email.yml']);
    assert.equal(again.code, 5);
  });

  test('plugins -c plugin_id,name prints a table and the Count: n / total footer', async () => {
    const result = await client.run([
      'plugins',
      '-p',
      'service_type=notification.Protocol',
      '-c',
      'plugin_id,name',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^ plugin_id\s+\| name$/);
    assert.match(lines[1] ?? '', /^-+\+-+$/);
    assert.match(
      lines[2] ?? '',
      /^ plugin-email-notification-protocol\s+\| Email Notification Protocol$/,
    );
    assert.match(
      lines[3] ?? '',
      /^ plugin-slack-notification-protocol\s+\| Slack Notification Protocol$/,
    );
    assert.equal(lines[4], ' Count: 2 / 2');
  });

  test('-l, -s, -p on any field and -o json|yaml|csv', async () => {
    let result = await client.run([
      'plugins',
      '-s',
      '-plugin_id',
      '-l',
      '1',
      '-c',
      'plugin_id,provider',
    ]);
    assert.match(result.stdout, /plugin-slack-notification-protocol\s+\| slack\n Count: 1 \/ 2\n$/);
    result = await client.run([
      'plugins',
      '-p',
      'provider=email',
      '-o',
      'json',
      '-c',
      'plugin_id,state',
    ]);
    assert.deepEqual(JSON.parse(result.stdout), {
      results: [{ plugin_id: 'plugin-email-notification-protocol', state: 'enabled' }],
      total_count: 1,
    });
    result = await client.run([
      'plugins',
      '-p',
      'image=pyengine/plugin-slack-notification-protocol',
      '-o',
      'yaml',
      '-c',
      'plugin_id,tags.description',
    ]);
    assert.deepEqual(parse(result.stdout), {
      results: [{ plugin_id: 'plugin-slack-notification-protocol', 'tags.description': 'Slack' }],
      total_count: 1,
    });
    result = await client.run(['plugins', '-o', 'csv', '-c', 'plugin_id,name', '-s', 'plugin_id']);
    assert.equal(
      result.stdout,
      'plugin_id,name\r\nplugin-email-notification-protocol,Email Notification Protocol\r\nplugin-slack-notification-protocol,Slack Notification Protocol\r\n',
    );
  });
});
