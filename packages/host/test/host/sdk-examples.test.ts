import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { isPlugboardError } from '@plugboard/core';
import { skipUnlessAvailable } from '@plugboard/test-support';
import { isAlive, serveCalls } from '../helpers/fixtures.js';
import { startTestHost } from '../helpers/test-host.js';

// The SDK's example plugins are plugins written with @plugboard/sdk: the host must run them like
// any other. They are files of the sdk package, used here as fixtures (no code import).
const sdkRoot = fileURLToPath(new URL('../../../../sdk/', import.meta.url));
const built = existsSync(join(sdkRoot, 'dist', 'examples', 'echo-plugin.js'));
const skip = skipUnlessAvailable(
  'the built @plugboard/sdk examples',
  built,
  'build them first: npx tsc -b packages/sdk/test',
);

interface Resource {
  ems_ref: string;
  resource_type: string;
  relationships?: { type: string; target_ems_ref: string }[];
}

describe('SDK example plugins under the host', { skip }, () => {
  test('the provider example: connect → collect (NDJSON) → disconnect, found by vendor:provider_type', async () => {
    const t = await startTestHost([], {
      roots: [join(sdkRoot, 'test', 'fixtures', 'plugins')],
      pluginConfig: { 'example-provider': { password: 'from-config' } },
    });
    try {
      const provider = t.host.lookup('provider', { name: 'example:static' });
      assert.equal(
        provider.provider.kind === 'plugin' && provider.provider.plugin.id,
        'example-provider@0.1.0',
      );
      const connection = {
        endpoint: 'static://demo',
        config: { password: 'from-config', count: 4 },
      };
      assert.deepEqual(await provider.call('validate_connection', { connection }), { ok: true });
      const { session_id } = (await provider.call('connect', { connection })) as {
        session_id: string;
      };
      const resources: Resource[] = [];
      for await (const value of provider.stream('collect', { session_id })) {
        resources.push(value as Resource);
      }
      assert.deepEqual(
        resources.map((r) => r.ems_ref),
        ['host-0', 'vm-0', 'vm-1', 'vm-2', 'vm-3'],
      );
      assert.deepEqual(resources[1]?.relationships, [
        { type: 'runs_on', target_ems_ref: 'host-0' },
      ]);
      assert.deepEqual(await provider.call('disconnect', { session_id }), {});

      const wrong = { connection: { endpoint: 'x', config: { password: 'nope' } } };
      await assert.rejects(provider.call('connect', wrong), { code: 'UNAUTHENTICATED' });
      const checked = (await provider.call('validate_connection', wrong)) as { ok: boolean };
      assert.equal(checked.ok, false);
    } finally {
      await t.close();
    }
  });

  test("a configuration that fails the plugin's config schema is CONFIG_INVALID before any start", async () => {
    // As a bare executable its config_schema comes from `capabilities`.
    const t = await startTestHost(
      [],
      { pluginConfig: { 'example-provider': { password: '', colour: 'blue' } } },
      { 'example-provider': join(sdkRoot, 'examples', 'bin', 'example-provider') },
    );
    try {
      const provider = t.host.lookup('provider', { name: 'example:static' });
      const connection = { endpoint: 'x', config: {} };
      await assert.rejects(provider.call('validate_connection', { connection }), (error) => {
        assert.ok(isPlugboardError(error, 'CONFIG_INVALID'));
        assert.deepEqual(error.problems.map((p) => p.path).sort(), ['colour', 'password']);
        return true;
      });
      assert.equal(serveCalls(t.spawner).length, 0);
      assert.equal(t.host.list().find((p) => p.name === 'example-provider')?.recentCrashes, 0);
    } finally {
      await t.close();
    }
  });

  test('the echo example as a bare executable: calls, streams, stream errors, shutdown', async () => {
    const t = await startTestHost(
      [],
      {},
      {
        'echo-plugin': join(sdkRoot, 'examples', 'bin', 'echo-plugin'),
      },
    );
    try {
      const { plugins, problems } = await t.host.discover();
      assert.deepEqual(problems, []);
      assert.deepEqual(
        plugins.map((p) => p.id),
        ['echo-plugin@0.1.0'],
      );

      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => t.host.call('echo-plugin', 'echo', { i })),
      );
      assert.deepEqual(
        answers,
        Array.from({ length: 20 }, (_, i) => ({ echo: { i } })),
      );

      const values: unknown[] = [];
      await assert.rejects(
        (async () => {
          for await (const value of t.host.stream('echo-plugin', 'count', { n: 5, fail_at: 2 })) {
            values.push(value);
          }
        })(),
        (error) => isPlugboardError(error, 'UNAVAILABLE'),
      );
      assert.deepEqual(values, [{ i: 0 }, { i: 1 }]);

      // The SDK declares a schema for `count`; the host checks it before sending.
      await assert.rejects(t.host.call('echo-plugin', 'count', { n: -1 }), {
        code: 'INVALID_ARGUMENT',
      });
      await assert.rejects(
        t.host.call('echo-plugin', 'sleep', { ms: 10_000 }, { timeoutMs: 200 }),
        {
          code: 'TIMEOUT',
        },
      );
      const pid = serveCalls(t.spawner)[0]?.child.pid;
      assert.ok(pid !== undefined && isAlive(pid));
    } finally {
      await t.close(); // asserts no process and no socket folder are left
    }
  });
});
