import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { makeTempDir } from '@plugboard/test-support';
import { ManagedRepository } from '../../../src/repositories/managed/managed-repository.js';
import { fakeImageVersions } from '../../helpers/test-server.js';

const CLOUDFORET_DIR = fileURLToPath(
  new URL('../../../../../core/test/fixtures/cloudforet-managed-plugins/', import.meta.url),
);
const anyone = { domainId: undefined };

/** Generous: file events and the debounce run on a busy two-core machine. */
const RELOAD_TIMEOUT_MS = 20_000;

async function eventually(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + RELOAD_TIMEOUT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const echoManifest = (description: string) =>
  JSON.stringify({ name: 'echo', version: '1.0.0', description });

describe('ManagedRepository', () => {
  const dirs: { remove(): void }[] = [];
  after(() => dirs.forEach((dir) => dir.remove()));
  const tempDir = () => {
    const dir = makeTempDir('plugboard-managed-');
    dirs.push(dir);
    return dir.path;
  };

  it('serves every one of the 35 Cloudforet managed plugin files', async () => {
    const files = readdirSync(CLOUDFORET_DIR).filter((file) => file.endsWith('.yaml'));
    assert.equal(files.length, 35);
    const managed = await ManagedRepository.open({ folders: [CLOUDFORET_DIR], watch: false });
    const reload = await managed.reload();
    assert.deepEqual(reload.problems, []);
    assert.equal(reload.managed, 35);
    const page = await managed.source.list(anyone, { limit: 1000 });
    assert.equal(page.total, 35);
    // Every file's plugin_id is served.
    const pluginIds = files.map(
      (file) => /^plugin_id: (\S+)$/m.exec(readFileSync(join(CLOUDFORET_DIR, file), 'utf8'))?.[1],
    );
    assert.deepEqual(
      page.plugins.map((plugin) => plugin.name),
      pluginIds.sort(),
    );
    const ec2 = await managed.source.get(anyone, 'plugin-aws-ec2-inven-collector');
    assert.equal(ec2?.display_name, 'AWS EC2 Collector');
    assert.equal(ec2?.repository_type, 'MANAGED');
    assert.deepEqual(ec2?.providers, ['aws']);
    assert.equal(ec2?.image?.image, 'plugin-aws-inven-collector');
    await managed.close();
  });

  it('serves the sample catalog at the repository root without a problem', async () => {
    const sample = fileURLToPath(new URL('../../../../../../catalog/', import.meta.url));
    const managed = await ManagedRepository.open({ folders: [sample], watch: false });
    const reload = await managed.reload();
    assert.deepEqual(reload.problems, []);
    const page = await managed.source.list(anyone, {});
    assert.deepEqual(
      page.plugins.map((plugin) => plugin.name),
      ['aws-public', 'echo-plugin', 'example-provider', 'plugin-slack-noti-protocol', 'vcenter'],
    );
    await managed.close();
  });

  it('filters, sorts and windows like the store', async () => {
    const managed = await ManagedRepository.open({ folders: [CLOUDFORET_DIR], watch: false });
    const aws = await managed.source.list(anyone, { provider: 'aws', limit: 100 });
    assert.ok(aws.total > 0 && aws.total < 35);
    assert.ok(aws.plugins.every((plugin) => plugin.providers.includes('aws')));
    const q = await managed.source.list(anyone, { q: 'SLACK', limit: 100 });
    assert.deepEqual(
      q.plugins.map((plugin) => plugin.name),
      ['plugin-slack-noti-protocol'],
    );
    const type = await managed.source.list(anyone, { type: 'notification.Protocol', limit: 100 });
    assert.ok(type.plugins.every((plugin) => plugin.type === 'notification.Protocol'));
    const desc = await managed.source.list(anyone, { order: 'desc', offset: 2, limit: 3 });
    const all = await managed.source.list(anyone, { order: 'desc', limit: 100 });
    assert.deepEqual(desc.plugins, all.plugins.slice(2, 5));
    assert.equal(desc.total, 35);
    const disabled = await managed.source.list(anyone, { state: 'disabled' });
    assert.equal(disabled.total, 0);
    const named = await managed.source.list(anyone, {
      names: ['plugin-slack-noti-protocol', 'nope'],
    });
    assert.equal(named.total, 1);
    await managed.close();
  });

  it('reads every importer format recursively, reports bad files and keeps the rest', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'nested', 'deeper'), { recursive: true });
    writeFileSync(join(root, 'a-native.json'), echoManifest('native'));
    writeFileSync(
      join(root, 'nested', 'spaceone.yaml'),
      'image: cloudforet/plugin-x-inven-collector\nresource_type: inventory.Collector\nprovider: x\n',
    );
    writeFileSync(
      join(root, 'nested', 'deeper', 'manifest.yml'),
      'name: vcenter\nvendor: vmware\nprovider_type: vcenter\nversion: 1.0.0\n',
    );
    writeFileSync(join(root, 'broken.yaml'), 'name: [\n');
    writeFileSync(join(root, 'README.md'), '# not a manifest');
    writeFileSync(join(root, '.hidden.json'), '{');
    const managed = await ManagedRepository.open({ folders: [root], watch: false });
    const reload = await managed.reload();
    assert.equal(reload.managed, 3);
    assert.equal(reload.problems.length, 1);
    assert.match(reload.problems[0] ?? '', /broken\.yaml: invalid YAML/);
    const page = await managed.source.list(anyone, {});
    assert.deepEqual(
      page.plugins.map((plugin) => plugin.name),
      ['echo', 'plugin-x-inven-collector', 'vcenter'],
    );
    // One version from the manifest, no artifact.
    const vcenter = await managed.source.get(anyone, 'vcenter');
    assert.deepEqual(
      vcenter?.versions.map((v) => [v.version, v.digest]),
      [['1.0.0', undefined]],
    );
    assert.equal(vcenter?.latest_version, '1.0.0');
    assert.equal(await managed.source.artifact(), undefined);
    assert.equal((await managed.source.manifest(anyone, 'vcenter', '1.0.0'))?.['name'], 'vcenter');
    assert.equal(await managed.source.manifest(anyone, 'vcenter', '2.0.0'), undefined);
    await managed.close();
  });

  it('lets the first file in path order win a name clash and reports the other', async () => {
    const first = tempDir();
    const second = tempDir();
    writeFileSync(join(first, 'b.json'), echoManifest('first folder'));
    writeFileSync(join(second, 'a.json'), echoManifest('second folder'));
    writeFileSync(join(first, 'c.json'), echoManifest('first folder, later file'));
    const managed = await ManagedRepository.open({ folders: [first, second], watch: false });
    const reload = await managed.reload();
    assert.equal(reload.managed, 1);
    assert.equal((await managed.source.get(anyone, 'echo'))?.description, 'first folder');
    assert.equal(reload.problems.length, 2);
    assert.ok(
      reload.problems.every((problem) =>
        problem.includes(`already defined by ${join(first, 'b.json')}`),
      ),
    );
    await managed.close();
  });

  it('keeps the last good version of a file that becomes invalid, drops a deleted one', async () => {
    const root = tempDir();
    const path = join(root, 'echo.json');
    writeFileSync(path, echoManifest('good'));
    writeFileSync(join(root, 'other.json'), JSON.stringify({ name: 'other' }));
    const managed = await ManagedRepository.open({ folders: [root], watch: false });
    writeFileSync(path, '{"name": "echo", "version": "not semver"}');
    let reload = await managed.reload();
    assert.equal(reload.managed, 2);
    assert.match(
      reload.problems[0] ?? '',
      /echo\.json: .*version.*last good version of plugin "echo"/,
    );
    assert.equal((await managed.source.get(anyone, 'echo'))?.description, 'good');
    // Still kept on the next reload while the file stays bad.
    reload = await managed.reload();
    assert.equal(reload.problems.length, 1);
    assert.equal((await managed.source.get(anyone, 'echo'))?.description, 'good');
    writeFileSync(path, echoManifest('fixed'));
    reload = await managed.reload();
    assert.deepEqual(reload.problems, []);
    assert.equal((await managed.source.get(anyone, 'echo'))?.description, 'fixed');
    rmSync(path);
    reload = await managed.reload();
    assert.equal(reload.managed, 1);
    assert.equal(await managed.source.get(anyone, 'echo'), undefined);
    await managed.close();
  });

  it('reports a folder that does not exist and serves the others', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'echo.json'), echoManifest('here'));
    const missing = join(root, 'missing');
    const managed = await ManagedRepository.open({ folders: [missing, root], watch: false });
    const reload = await managed.reload();
    assert.equal(reload.managed, 1);
    assert.deepEqual(reload.problems, [`${missing}: cannot read folder: it does not exist`]);
    await managed.close();
  });

  it('reloads by itself when files change, in new subfolders too', async () => {
    const root = tempDir();
    const path = join(root, 'echo.json');
    writeFileSync(path, echoManifest('before'));
    const managed = await ManagedRepository.open({ folders: [root], debounceMs: 50 });
    try {
      writeFileSync(path, echoManifest('after'));
      await eventually(
        async () => (await managed.source.get(anyone, 'echo'))?.description === 'after',
        'the edited description',
      );
      mkdirSync(join(root, 'sub'));
      // The new folder is watched once a reload has seen it.
      await eventually(
        () => (managed.source.current.directories as string[]).includes(join(root, 'sub')),
        'the new folder to be scanned',
      );
      writeFileSync(join(root, 'sub', 'late.json'), JSON.stringify({ name: 'late' }));
      await eventually(
        async () => (await managed.source.get(anyone, 'late')) !== undefined,
        'the plugin in the new folder',
      );
      rmSync(path);
      await eventually(
        async () => (await managed.source.get(anyone, 'echo')) === undefined,
        'the deleted plugin to go',
      );
    } finally {
      await managed.close();
    }
  });

  it('reads image versions for a detail, and warns when the registry is down', async () => {
    const root = tempDir();
    writeFileSync(
      join(root, 'up.yaml'),
      'plugin_id: up\nimage: example/up\nresource_type: inventory.Collector\n',
    );
    writeFileSync(
      join(root, 'down.yaml'),
      'plugin_id: down\nimage: unreachable/down\nresource_type: inventory.Collector\n',
    );
    const images = fakeImageVersions({ 'example/up': ['1.0.0', '1.2.0', '2.0.0-beta.1'] });
    const managed = await ManagedRepository.open({
      folders: [root],
      watch: false,
      imageVersions: images,
    });
    const up = await managed.source.get(anyone, 'up');
    assert.deepEqual(
      up?.versions.map((v) => v.version),
      ['2.0.0-beta.1', '1.2.0', '1.0.0'],
    );
    assert.equal(up?.latest_version, '1.2.0');
    const down = await managed.source.get(anyone, 'down');
    assert.deepEqual(down?.versions, []);
    assert.match(
      down?.warnings?.[0] ?? '',
      /versions of image "unreachable\/down" could not be read/,
    );
    // Lists never call the registry.
    images.asked.length = 0;
    await managed.source.list(anyone, {});
    assert.deepEqual(images.asked, []);
    await managed.close();
  });
});
