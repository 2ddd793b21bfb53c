import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { isPlugboardError } from '@plugboard/core';
import { makeTempDir, skipUnlessAvailable } from '@plugboard/test-support';
import {
  DATA_DIR_ENV_VAR,
  probeSandboxSupportSync,
  type DiscoveryResult,
} from '../../src/index.js';
import { fixturePath, isAlive, pythonAvailable, serveCalls, waitFor } from '../helpers/fixtures.js';
import { startTestHost } from '../helpers/test-host.js';

interface EnvAnswer {
  env: Record<string, string>;
  cwd: string;
}

describe('PluginHost', () => {
  test('lists plugins with versions, capabilities and state', async () => {
    const t = await startTestHost(['node-echo', 'shell-ocm']);
    try {
      const listed = t.host.list();
      assert.deepEqual(
        listed.map((p) => [p.id, p.source, p.state, p.capabilities.map((c) => c.type)]),
        [
          ['node-echo@1.0.0', 'executable', 'stopped', ['echo']],
          [
            'shell-ocm',
            'executable',
            'stopped',
            ['componentVersionRepository', 'credentialRepository'],
          ],
        ],
      );
      await t.host.call('node-echo', 'echo', { message: 'x' });
      assert.equal(t.host.list()[0]?.state, 'ready');
    } finally {
      await t.close();
    }
  });

  test('lookup by capability type; a plugin can be called by type, name or id', async () => {
    const t = await startTestHost(['node-echo']);
    try {
      const handle = t.host.lookup('echo');
      assert.equal(
        handle.provider.kind === 'plugin' && handle.provider.plugin.id,
        'node-echo@1.0.0',
      );
      const viaHandle = (await handle.call('echo', { message: 'a' })) as { echo: unknown };
      assert.deepEqual(viaHandle.echo, { message: 'a' });
      const viaType = (await t.host.call({ capability: 'echo' }, 'echo', { message: 'b' })) as {
        echo: unknown;
      };
      assert.deepEqual(viaType.echo, { message: 'b' });
      await t.host.call('node-echo@1.0.0', 'echo/echo', { message: 'c' });
      await assert.rejects(t.host.call('node-echo', 'other/echo', {}), { code: 'NOT_FOUND' });
      await assert.rejects(t.host.call('nobody', 'echo', {}), { code: 'PLUGIN_NOT_FOUND' });
      assert.throws(() => t.host.lookup('echo', { versionRange: '^2' }), {
        code: 'VERSION_NOT_FOUND',
      });
      assert.equal(serveCalls(t.spawner).length, 1);
    } finally {
      await t.close();
    }
  });

  test('in-process handlers win over plugins, with the same timeout and abort rules', async () => {
    const t = await startTestHost(['node-echo']);
    try {
      t.host.registerInProcess('echo', undefined, {
        echo: (input) => ({ echo: input, inProcess: true }),
        count: async function* () {
          yield 1;
          yield 2;
        },
        sleep: (_input, { signal }) =>
          new Promise((resolve) => {
            const timer = setTimeout(resolve, 20_000);
            signal.addEventListener('abort', () => clearTimeout(timer));
          }),
      });
      assert.deepEqual(await t.host.call({ capability: 'echo' }, 'echo', { message: 'x' }), {
        echo: { message: 'x' },
        inProcess: true,
      });
      const streamed: unknown[] = [];
      for await (const value of t.host.stream({ capability: 'echo' }, 'count', {}))
        streamed.push(value);
      assert.deepEqual(streamed, [1, 2]);
      await assert.rejects(t.host.call({ capability: 'echo' }, 'sleep', {}, { timeoutMs: 100 }), {
        code: 'TIMEOUT',
      });
      await assert.rejects(t.host.call({ capability: 'echo' }, 'missing', {}), {
        code: 'NOT_FOUND',
      });
      assert.equal(serveCalls(t.spawner).length, 0, 'no plugin process was needed');
    } finally {
      await t.close();
    }
  });

  test('conflicting plugins are reported by discover() and refused by lookup, naming both paths', async () => {
    // node-echo and flood-stderr both provide "echo" 1.0.0 without a name.
    const t = await startTestHost(['node-echo', 'flood-stderr']);
    try {
      const result = await t.host.discover();
      const conflict = result.problems.find((p) => p.code === 'CAPABILITY_CONFLICT');
      assert.ok(conflict, JSON.stringify(result.problems));
      assert.deepEqual(conflict.details?.['paths'], [
        join(t.root, 'flood-stderr'),
        join(t.root, 'node-echo'),
      ]);
      assert.throws(
        () => t.host.lookup('echo'),
        (error) => {
          assert.ok(isPlugboardError(error, 'CAPABILITY_CONFLICT'));
          assert.ok(error.message.includes(join(t.root, 'node-echo')));
          assert.ok(error.message.includes(join(t.root, 'flood-stderr')));
          return true;
        },
      );
      // Each plugin is still reachable by name.
      await t.host.call('node-echo', 'echo', { message: 'x' });
    } finally {
      await t.close();
    }
  });

  test('plugins from a manifest folder run under Node with their own schemas', async () => {
    const root = fixturePath('manifest-root');
    const t = await startTestHost([], { roots: [root] });
    try {
      const answer = (await t.host.call('echo-manifest', 'echo', { message: 'hi' })) as {
        pid: number;
      };
      assert.ok(answer.pid > 0);
      assert.equal(t.host.list().find((p) => p.state === 'ready')?.id, 'echo-manifest@2.0.0');
      const older = t.host.lookup('echo', { name: 'echo-manifest', versionRange: '1.x' });
      assert.equal(
        older.provider.kind === 'plugin' && older.provider.plugin.id,
        'echo-manifest@1.0.0',
      );
      await assert.rejects(t.host.call('echo-manifest', 'echo', { message: 1 }), {
        code: 'INVALID_ARGUMENT',
      });
    } finally {
      await t.close();
    }
  });

  test('a plugin that answers over loopback TCP (the fallback) is called the same way', async () => {
    const t = await startTestHost(['node-echo'], {
      pluginConfig: { 'node-echo': { listen: 'tcp' } },
    });
    try {
      assert.deepEqual(await t.host.call('node-echo', 'count', { n: 2 }), [{ i: 0 }, { i: 1 }]);
      const listening = t.logger.records.find((r) => r.message === 'listening');
      assert.match(String(listening?.fields['address']), /^tcp:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await t.close();
    }
  });

  test('each plugin is told its data folder', async () => {
    const data = makeTempDir('plugboard-data-');
    const t = await startTestHost(['node-echo'], { dataDir: data.path });
    try {
      const { env } = (await t.host.call('node-echo', 'env', {})) as EnvAnswer;
      assert.equal(env[DATA_DIR_ENV_VAR], join(data.path, 'node-echo'));
      assert.equal(env['PLUGBOARD_PROTOCOL'], 'plugboard/1');
    } finally {
      await t.close();
      data.remove();
    }
  });
});

describe('PluginHost with sandbox: true', () => {
  const support = probeSandboxSupportSync();
  const skip = skipUnlessAvailable(
    'unshare and prlimit',
    support.prlimit.available && support.networkIsolation.available,
    'install util-linux and allow unprivileged user namespaces',
  );
  /**
   * A self-contained plugin folder: under Node's permission model a plugin may read only its own
   * folder, so the fixture runtime is copied in rather than required from the fixtures folder.
   */
  function selfContainedRoot(): { path: string; remove(): void } {
    const root = makeTempDir('plugboard-sandbox-root-');
    const dir = join(root.path, 'node-echo', '1.0.0');
    mkdirSync(dir, { recursive: true });
    copyFileSync(fixturePath('lib', 'mini-plugin.cjs'), join(dir, 'mini-plugin.cjs'));
    writeFileSync(
      join(dir, 'plugin.cjs'),
      "require('./mini-plugin.cjs').run({ name: 'node-echo', version: '1.0.0' });\n",
    );
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({ name: 'node-echo', runtime: { type: 'node', entrypoint: 'plugin.cjs' } }),
    );
    if (pythonAvailable()) {
      symlinkSync(fixturePath('plugins', 'python-echo'), join(root.path, 'python-echo'));
    }
    return root;
  }
  const implementations = pythonAvailable() ? ['node-echo', 'python-echo'] : ['node-echo'];

  for (const plugin of implementations) {
    test(
      `${plugin} runs sandboxed: reduced environment, no network, same protocol`,
      { skip },
      async () => {
        const data = makeTempDir('plugboard-data-');
        const root = selfContainedRoot();
        const env = {
          ...process.env,
          AWS_SECRET_ACCESS_KEY: 'must-not-leak',
          PLUGBOARD_REGION: 'eu',
        };
        const t = await startTestHost([], {
          roots: [root.path],
          sandbox: true,
          env,
          dataDir: data.path,
        });
        try {
          // Both fixtures provide "echo" 1.0.0, a conflict for lookups only; nothing else may fail.
          const { problems } = await t.host.discover();
          assert.deepEqual(
            problems.filter((p) => p.code !== 'CAPABILITY_CONFLICT'),
            [],
          );
          const answer = (await t.host.call(plugin, 'env', {})) as EnvAnswer;
          assert.equal(answer.env['AWS_SECRET_ACCESS_KEY'], undefined);
          assert.equal(answer.env['PLUGBOARD_REGION'], 'eu');
          assert.equal(answer.env[DATA_DIR_ENV_VAR], join(data.path, plugin));
          const serve = serveCalls(t.spawner)[0];
          assert.ok(serve !== undefined);
          assert.ok(
            [serve.command, ...serve.args].includes('unshare'),
            `not wrapped: ${serve.command} ${serve.args.join(' ')}`,
          );
          // Everything else still works through the sandbox: streams, validation, shutdown.
          assert.deepEqual(await t.host.call(plugin, 'count', { n: 2 }), [{ i: 0 }, { i: 1 }]);
        } finally {
          await t.close();
          root.remove();
          data.remove();
        }
      },
    );
  }

  test('without the sandbox the same variable does reach the plugin (the test can fail)', async () => {
    const env = { ...process.env, AWS_SECRET_ACCESS_KEY: 'visible' };
    const t = await startTestHost(['node-echo'], { env });
    try {
      const answer = (await t.host.call('node-echo', 'env', {})) as EnvAnswer;
      assert.equal(answer.env['AWS_SECRET_ACCESS_KEY'], 'visible');
    } finally {
      await t.close();
    }
  });
});

describe('PluginHost with watch: true', () => {
  test('plugins added and removed on disk are picked up; a removed plugin is stopped', async () => {
    const reloads: DiscoveryResult[] = [];
    const t = await startTestHost(['node-echo'], {
      watch: true,
      watchDebounceMs: 100,
      onReload: (result) => reloads.push(result),
    });
    try {
      const { pid } = (await t.host.call('node-echo', 'echo', { message: 'x' })) as { pid: number };

      symlinkSync(fixturePath('plugins', 'shell-ocm'), join(t.root, 'shell-ocm'));
      await waitFor('the new plugin', () => t.host.list().some((p) => p.id === 'shell-ocm'));
      assert.ok(reloads.length >= 1);
      assert.equal(isAlive(pid), true, 'an unchanged plugin keeps its process');
      assert.equal(t.host.list().find((p) => p.id === 'node-echo@1.0.0')?.pid, pid);

      rmSync(join(t.root, 'node-echo'));
      await waitFor('the removed plugin to go', () =>
        t.host.list().every((p) => p.id !== 'node-echo@1.0.0'),
      );
      await waitFor('its process to stop', () => !isAlive(pid), 15_000);
      await assert.rejects(t.host.call('node-echo', 'echo', { message: 'y' }), {
        code: 'PLUGIN_NOT_FOUND',
      });
    } finally {
      await t.close();
    }
  });
});
