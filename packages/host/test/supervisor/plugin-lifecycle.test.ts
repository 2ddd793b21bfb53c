import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isPlugboardError } from '@plugboard/core';
import { skipUnlessAvailable } from '@plugboard/test-support';
import { isAlive, pythonAvailable, serveCalls, waitFor } from '../helpers/fixtures.js';
import { startTestHost, type TestHost } from '../helpers/test-host.js';

interface Echo {
  echo: { message: string };
  pid: number;
  language: string;
}

/** Runs `body` with a fresh host and always closes it (asserting nothing is left behind). */
async function withHost(
  plugin: string,
  options: Parameters<typeof startTestHost>[1],
  body: (t: TestHost) => Promise<void>,
): Promise<void> {
  const testHost = await startTestHost([plugin], options);
  try {
    await body(testHost);
  } finally {
    await testHost.close();
  }
}

// The same behaviour is required of a plugin in any language: the Node fixture and the Python one
// (written from the contract alone, standard library only) run the same suite.
const implementations = [
  { plugin: 'node-echo', language: 'node', skip: false as const },
  {
    plugin: 'python-echo',
    language: 'python',
    skip: skipUnlessAvailable('python3', pythonAvailable(), 'install Python 3 on the PATH'),
  },
];

for (const { plugin, language, skip } of implementations) {
  describe(`supervising ${plugin}`, { skip }, () => {
    test('starts lazily on the first call and reuses the process', async () => {
      await withHost(plugin, {}, async ({ host, spawner }) => {
        assert.equal(spawner.calls.length, 1, 'only `capabilities` ran during discovery');
        assert.equal(host.list()[0]?.state, 'stopped');
        assert.equal(host.list()[0]?.pid, undefined);

        const first = (await host.call(plugin, 'echo', { message: 'hello' })) as Echo;
        assert.deepEqual(first.echo, { message: 'hello' });
        assert.equal(first.language, language);
        const info = host.list()[0];
        assert.equal(info?.state, 'ready');
        assert.equal(info?.pid, first.pid);

        const second = (await host.call(plugin, 'echo', { message: 'again' })) as Echo;
        assert.equal(second.pid, first.pid);
        assert.equal(serveCalls(spawner).length, 1);
        assert.ok(serveCalls(spawner)[0]?.args.includes('--socket'));
      });
    });

    test('100 concurrent calls share one process and each gets its own answer', async () => {
      await withHost(plugin, {}, async ({ host, spawner }) => {
        const answers = (await Promise.all(
          Array.from({ length: 100 }, (_, i) => host.call(plugin, 'echo', { message: `m${i}` })),
        )) as Echo[];
        assert.deepEqual(
          answers.map((a) => a.echo.message),
          Array.from({ length: 100 }, (_, i) => `m${i}`),
        );
        assert.equal(new Set(answers.map((a) => a.pid)).size, 1);
        assert.equal(serveCalls(spawner).length, 1);
        assert.equal(host.list()[0]?.starts, 1);
      });
    });

    test('configuration goes on stdin, never on argv', async () => {
      const config = { token: 's3cr3t-token', region: 'eu' };
      await withHost(
        plugin,
        { pluginConfig: { [plugin]: config }, idleTimeoutMs: 60_000 },
        async ({ host, spawner }) => {
          const answer = (await host.call(plugin, 'config', {})) as {
            config: unknown;
            idle_timeout_ms: number;
          };
          assert.deepEqual(answer.config, config);
          // The plugin's own idle timeout is a backstop behind the host's.
          assert.ok(answer.idle_timeout_ms >= 60_000);
          for (const call of spawner.calls) {
            assert.ok(!JSON.stringify(call.args).includes('s3cr3t'), 'secret on argv');
          }
        },
      );
    });

    test('an idle plugin is stopped and transparently restarted by the next call', async () => {
      await withHost(plugin, { idleTimeoutMs: 300 }, async ({ host }) => {
        const first = (await host.call(plugin, 'echo', { message: 'a' })) as Echo;
        await waitFor('the idle stop', () => host.list()[0]?.state === 'stopped');
        await waitFor('the idle process to exit', () => !isAlive(first.pid));
        const second = (await host.call(plugin, 'echo', { message: 'b' })) as Echo;
        assert.notEqual(second.pid, first.pid);
        assert.equal(host.list()[0]?.starts, 2);
        assert.equal(host.list()[0]?.recentCrashes, 0, 'an idle stop is not a crash');
      });
    });

    test('a crash fails the calls in flight with PLUGIN_CRASHED; the next call restarts it', async () => {
      const crashPolicy = { backoffInitialMs: 50 };
      await withHost(plugin, { crashPolicy }, async ({ host }) => {
        const before = (await host.call(plugin, 'echo', { message: 'a' })) as Echo;
        const slow = host.call(plugin, 'sleep', { ms: 20_000 });
        const crash = host.call(plugin, 'crash', { code: 9 });
        for (const pending of [slow, crash]) {
          await assert.rejects(pending, (error) => {
            assert.ok(isPlugboardError(error, 'PLUGIN_CRASHED'), String(error));
            assert.match(error.message, /code 9/);
            assert.match(error.message, /crashing on purpose/); // the stderr tail
            return true;
          });
        }
        assert.equal(host.list()[0]?.state, 'crashed');
        const after = (await host.call(plugin, 'echo', { message: 'b' })) as Echo;
        assert.notEqual(after.pid, before.pid);
        assert.equal(host.list()[0]?.state, 'ready');
        assert.equal(host.list()[0]?.recentCrashes, 1);
      });
    });

    test('repeated crashes quarantine the plugin until resetQuarantine', async () => {
      const crashPolicy = { maxCrashes: 3, windowMs: 60_000, backoffInitialMs: 20 };
      await withHost(plugin, { crashPolicy }, async ({ host, spawner }) => {
        for (let i = 0; i < 3; i += 1) {
          await assert.rejects(host.call(plugin, 'crash', {}), { code: 'PLUGIN_CRASHED' });
        }
        assert.equal(host.list()[0]?.state, 'quarantined');
        const starts = serveCalls(spawner).length;
        await assert.rejects(host.call(plugin, 'echo', { message: 'x' }), (error) => {
          assert.ok(isPlugboardError(error, 'PLUGIN_QUARANTINED'));
          assert.match(error.message, /resetQuarantine/);
          return true;
        });
        assert.equal(serveCalls(spawner).length, starts, 'a quarantined plugin is not started');

        host.resetQuarantine(plugin);
        const answer = (await host.call(plugin, 'echo', { message: 'back' })) as Echo;
        assert.equal(answer.echo.message, 'back');
        assert.equal(host.list()[0]?.state, 'ready');
      });
    });

    test('a call past its timeout fails with TIMEOUT and the plugin keeps serving', async () => {
      await withHost(plugin, {}, async ({ host }) => {
        const before = (await host.call(plugin, 'echo', { message: 'a' })) as Echo;
        await assert.rejects(host.call(plugin, 'sleep', { ms: 20_000 }, { timeoutMs: 300 }), {
          code: 'TIMEOUT',
        });
        const after = (await host.call(plugin, 'echo', { message: 'b' })) as Echo;
        assert.equal(after.pid, before.pid);
      });
    });

    test('an aborted call fails with ABORTED', async () => {
      await withHost(plugin, {}, async ({ host }) => {
        await host.call(plugin, 'echo', { message: 'warm up' });
        const controller = new AbortController();
        const pending = host.call(plugin, 'sleep', { ms: 20_000 }, { signal: controller.signal });
        setTimeout(() => controller.abort(), 200);
        await assert.rejects(pending, { code: 'ABORTED' });
        await assert.rejects(
          host.call(plugin, 'echo', { message: 'x' }, { signal: AbortSignal.abort() }),
          { code: 'ABORTED' },
        );
        assert.equal(host.list()[0]?.state, 'ready');
      });
    });

    test('input is checked against the JSON Schema before anything is sent', async () => {
      await withHost(plugin, {}, async ({ host, spawner }) => {
        await assert.rejects(host.call(plugin, 'echo', { message: 42 }), (error) => {
          assert.ok(isPlugboardError(error, 'INVALID_ARGUMENT'));
          assert.deepEqual(
            error.problems.map((p) => p.path),
            ['message'],
          );
          return true;
        });
        await assert.rejects(host.call(plugin, 'echo', {}), (error) => {
          assert.ok(isPlugboardError(error, 'INVALID_ARGUMENT'));
          assert.deepEqual(error.problems, [{ path: 'message', message: 'is required' }]);
          return true;
        });
        assert.equal(serveCalls(spawner).length, 0, 'invalid input started the plugin');
      });
    });

    test("a plugin's error answer keeps its Plugboard code; unknown codes become PLUGIN_CALL_FAILED", async () => {
      await withHost(plugin, {}, async ({ host }) => {
        await assert.rejects(
          host.call(plugin, 'error', { status: 404, code: 'NOT_FOUND', message: 'no such VM' }),
          (error) => {
            assert.ok(isPlugboardError(error, 'NOT_FOUND'));
            assert.match(error.message, /no such VM/);
            return true;
          },
        );
        await assert.rejects(
          host.call(plugin, 'error', { status: 500, code: 'VCENTER_DOWN', message: 'down' }),
          (error) => {
            assert.ok(isPlugboardError(error, 'PLUGIN_CALL_FAILED'));
            assert.equal(error.details?.['pluginCode'], 'VCENTER_DOWN');
            return true;
          },
        );
        await assert.rejects(host.call(plugin, 'no_such_endpoint', {}), { code: 'NOT_FOUND' });
      });
    });

    test('NDJSON results stream as an async iterable; the error line is thrown', async () => {
      await withHost(plugin, {}, async ({ host }) => {
        const values: unknown[] = [];
        for await (const value of host.stream(plugin, 'count', { n: 5 })) values.push(value);
        assert.deepEqual(
          values,
          [0, 1, 2, 3, 4].map((i) => ({ i })),
        );

        assert.deepEqual(await host.call(plugin, 'count', { n: 2 }), [{ i: 0 }, { i: 1 }]);

        const seen: unknown[] = [];
        await assert.rejects(
          (async () => {
            for await (const value of host.stream(plugin, 'fail_stream', { n: 3 }))
              seen.push(value);
          })(),
          (error) => {
            assert.ok(isPlugboardError(error, 'NOT_FOUND'));
            assert.match(error.message, /the rest is gone/);
            return true;
          },
        );
        assert.equal(seen.length, 3);
      });
    });

    test('breaking out of a stream cancels it and the plugin keeps serving', async () => {
      await withHost(plugin, {}, async ({ host }) => {
        let taken = 0;
        for await (const _ of host.stream(plugin, 'count', { n: 1000, delay_ms: 20 })) {
          taken += 1;
          if (taken === 2) break;
        }
        assert.equal(taken, 2);
        const answer = (await host.call(plugin, 'echo', { message: 'still here' })) as Echo;
        assert.equal(answer.echo.message, 'still here');
        await waitFor('the cancelled call to leave', () => host.list()[0]?.inFlight === 0);
      });
    });

    test('shutdown stops the process, removes its socket folder, and refuses later calls', async () => {
      const testHost = await startTestHost([plugin]);
      const { pid } = (await testHost.host.call(plugin, 'echo', { message: 'x' })) as Echo;
      await testHost.close(); // asserts: pid gone, socket folder empty
      assert.equal(isAlive(pid), false);
      assert.equal(testHost.host.list()[0]?.state, 'stopped');
      await assert.rejects(testHost.host.call(plugin, 'echo', { message: 'y' }), {
        code: 'UNAVAILABLE',
      });
    });
  });
}
