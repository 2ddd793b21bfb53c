import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isPlugboardError } from '@plugboard/core';
import { makeTempDir } from '@plugboard/test-support';
import { discoverPlugins, type DiscoveryProblem } from '../../src/index.js';
import { fixturePath, makePluginRoot, recordingLogger } from '../helpers/fixtures.js';

const cleanups: (() => void)[] = [];
after(() => cleanups.forEach((cleanup) => cleanup()));

function tempDir(): string {
  const dir = makeTempDir('plugboard-discovery-');
  cleanups.push(() => dir.remove());
  return dir.path;
}

function problemFor(problems: readonly DiscoveryProblem[], fragment: string): DiscoveryProblem {
  const problem = problems.find((p) => p.path.includes(fragment));
  assert.ok(problem, `no problem reported for ${fragment}: ${JSON.stringify(problems, null, 2)}`);
  return problem;
}

describe('discoverPlugins', () => {
  const root = fixturePath('manifest-root');

  test('loads <root>/<name>/<version>/manifest.* plugins and reports the invalid ones', async () => {
    const logger = recordingLogger();
    const { plugins, problems } = await discoverPlugins([root], { logger });
    assert.deepEqual(plugins.map((p) => p.id).sort(), [
      'echo-manifest@1.0.0',
      'echo-manifest@2.0.0',
      'shell-tool@0.3.0',
    ]);

    const wrongName = problemFor(problems, 'wrong-name');
    assert.equal(wrongName.code, 'MANIFEST_INVALID');
    assert.match(wrongName.message, /"someone-else" does not match its folder "wrong-name"/);
    assert.equal(wrongName.path, join(root, 'wrong-name', '1.0.0', 'manifest.json'));

    const missing = problemFor(problems, 'missing-entry');
    assert.equal(missing.code, 'MANIFEST_INVALID');
    assert.match(missing.message, /runtime\.entrypoint "bin\/not-there" does not exist/);

    assert.equal(problemFor(problems, 'future-api').code, 'API_VERSION_INCOMPATIBLE');

    const badSchema = problemFor(problems, 'bad-schema');
    assert.equal(badSchema.code, 'MANIFEST_INVALID');
    assert.match(badSchema.message, /capabilities\[0\]\.schemas\.echo/);

    assert.equal(problemFor(problems, 'not-a-plugin').code, 'PLUGIN_PROTOCOL_ERROR');
    assert.equal(problems.length, 5, JSON.stringify(problems, null, 2));
    // Each skipped plugin is also logged as a warning.
    assert.equal(logger.records.filter((r) => r.level === 'warn').length, 5);
  });

  test('takes runtime, version and capabilities from the folder, manifest or command', async () => {
    const { plugins } = await discoverPlugins([root]);
    const byId = new Map(plugins.map((p) => [p.id, p]));

    const node = byId.get('echo-manifest@2.0.0');
    assert.ok(node);
    assert.equal(node.source, 'manifest');
    assert.equal(node.version, '2.0.0'); // from the folder: the YAML has no version
    assert.equal(node.launch.command, process.execPath);
    assert.deepEqual(node.launch.args, [join(root, 'echo-manifest', '2.0.0', 'plugin.cjs')]);
    assert.deepEqual(node.capabilities[0]?.schemas?.['echo']?.['required'], ['message']);

    const tool = byId.get('shell-tool@0.3.0');
    assert.ok(tool);
    const toolPath = join(root, 'shell-tool', '0.3.0', 'bin', 'tool');
    assert.equal(tool.launch.command, toolPath);
    assert.deepEqual(tool.launch.args, []);
    assert.deepEqual(
      tool.capabilities.map((c) => [c.type, c.endpoints]),
      [['lint', ['check']]],
    );
    assert.deepEqual(tool.manifest.configuration, {
      type: 'object',
      properties: { strict: { type: 'boolean' } },
    });
    assert.match(tool.entrypointSha256, /^[0-9a-f]{64}$/);
  });

  test('a newer host API version accepts the plugin that needs it', async () => {
    const { plugins } = await discoverPlugins([root], { hostApiVersion: 'v2' });
    assert.ok(plugins.some((p) => p.id === 'future-api@1.0.0'));
  });

  test('bare executables: id is the file name, manifest from `capabilities` (plugboard/1 and OCM)', async () => {
    const dir = makePluginRoot(['node-echo', 'shell-ocm']);
    cleanups.push(() => dir.remove());
    const { plugins, problems } = await discoverPlugins([dir.path]);
    assert.deepEqual(problems, []);
    const [nodeEcho, ocm] = plugins;
    assert.equal(nodeEcho?.id, 'node-echo@1.0.0');
    assert.equal(nodeEcho?.source, 'executable');
    assert.equal(nodeEcho?.manifest.runtime?.type, 'executable');
    assert.equal(ocm?.id, 'shell-ocm');
    assert.equal(ocm?.version, undefined);
    assert.deepEqual(
      ocm?.capabilities.map((c) => `${c.type}:${c.name ?? ''}`),
      ['componentVersionRepository:OCIRepository/v1', 'credentialRepository:DockerConfig/v1'],
    );
  });

  test('a plugin whose `capabilities` hangs is killed and reported; the others load', async () => {
    const dir = makePluginRoot(['node-echo']);
    cleanups.push(() => dir.remove());
    writeFileSync(join(dir.path, 'sleepy'), '#!/bin/sh\nexec sleep 300\n', { mode: 0o755 });
    const started = Date.now();
    // Long enough for node-echo's own `capabilities` on a loaded 2-core machine (500 ms was not).
    const { plugins, problems } = await discoverPlugins([dir.path], {
      capabilitiesTimeoutMs: 5_000,
    });
    assert.deepEqual(
      plugins.map((p) => p.name),
      ['node-echo'],
    );
    assert.equal(problemFor(problems, 'sleepy').code, 'TIMEOUT');
    assert.ok(Date.now() - started < 60_000);
  });

  test('a bare executable whose file name is not a valid plugin id is reported', async () => {
    const dir = makePluginRoot(['node-echo']);
    cleanups.push(() => dir.remove());
    const body = `#!/bin/sh\necho '{"protocol":"plugboard/1","name":"x","version":"1.0.0","capabilities":[]}'\n`;
    writeFileSync(join(dir.path, 'Bad_Name'), body, { mode: 0o755 });
    const { plugins, problems } = await discoverPlugins([dir.path]);
    assert.equal(plugins.length, 1);
    const problem = problemFor(problems, 'Bad_Name');
    assert.equal(problem.code, 'MANIFEST_INVALID');
    assert.match(problem.message, /name/);
  });

  test('a folder with two manifests is reported, not guessed', async () => {
    const dir = tempDir();
    const plugin = join(dir, 'twice', '1.0.0');
    mkdirSync(plugin, { recursive: true });
    writeFileSync(join(plugin, 'manifest.json'), '{}');
    writeFileSync(join(plugin, 'manifest.yaml'), 'name: twice');
    writeFileSync(join(dir, 'other'), '#!/bin/sh\necho nope\n', { mode: 0o755 });
    const { problems } = await discoverPlugins([dir]);
    assert.match(problemFor(problems, 'twice').message, /several manifests/);
  });

  test('nothing at all is NO_PLUGINS_FOUND, listing the missing roots', async () => {
    const empty = tempDir();
    writeFileSync(join(empty, 'notes.txt'), 'not a plugin');
    await assert.rejects(discoverPlugins([empty, '/nonexistent/plugboard-root']), (error) => {
      assert.ok(isPlugboardError(error, 'NO_PLUGINS_FOUND'));
      assert.match(error.message, /nonexistent\/plugboard-root/);
      const problems = error.details?.['problems'] as DiscoveryProblem[];
      assert.deepEqual(
        problems.map((p) => [p.code, p.path]),
        [['NOT_FOUND', '/nonexistent/plugboard-root']],
      );
      return true;
    });
  });

  test('a missing root next to a good one is a problem, not a failure', async () => {
    const dir = makePluginRoot(['node-echo']);
    cleanups.push(() => dir.remove());
    const { plugins, problems } = await discoverPlugins([dir.path, '/nonexistent/plugboard-root']);
    assert.equal(plugins.length, 1);
    assert.deepEqual(
      problems.map((p) => p.code),
      ['NOT_FOUND'],
    );
  });

  test('the same name@version in two roots: the first root wins and the clash is reported', async () => {
    const one = makePluginRoot(['node-echo']);
    const two = makePluginRoot(['node-echo']);
    cleanups.push(
      () => one.remove(),
      () => two.remove(),
    );
    const { plugins, problems } = await discoverPlugins([one.path, two.path]);
    assert.deepEqual(
      plugins.map((p) => p.path),
      [join(one.path, 'node-echo')],
    );
    assert.equal(problems[0]?.code, 'CAPABILITY_CONFLICT');
    assert.deepEqual(problems[0]?.details?.['paths'], [
      join(one.path, 'node-echo'),
      join(two.path, 'node-echo'),
    ]);
  });
});
