import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import { isPlugboardError } from '@plugboard/core';
import { makeTempDir } from '@plugboard/test-support';
import {
  fixturePath,
  isAlive,
  makePluginRoot,
  pythonAvailable,
  serveCalls,
  waitFor,
} from '../helpers/fixtures.js';
import { startTestHost } from '../helpers/test-host.js';

describe('misbehaving plugins', () => {
  test('crash on start: PLUGIN_START_FAILED with the stderr tail, then quarantine', async () => {
    const t = await startTestHost(['crash-on-start'], {
      crashPolicy: { maxCrashes: 3, backoffInitialMs: 20 },
    });
    try {
      await assert.rejects(t.host.call('crash-on-start', 'echo', {}), (error) => {
        assert.ok(isPlugboardError(error, 'PLUGIN_START_FAILED'));
        assert.match(error.message, /exited \(code 3\) before it was ready/);
        assert.match(error.message, /cannot open database/);
        return true;
      });
      assert.equal(t.host.list()[0]?.state, 'crashed');
      for (let i = 0; i < 2; i += 1) {
        await assert.rejects(t.host.call('crash-on-start', 'echo', {}), {
          code: 'PLUGIN_START_FAILED',
        });
      }
      assert.equal(t.host.list()[0]?.state, 'quarantined');
      await assert.rejects(t.host.call('crash-on-start', 'echo', {}), {
        code: 'PLUGIN_QUARANTINED',
      });
      assert.equal(serveCalls(t.spawner).length, 3);
      assert.deepEqual(t.host.stderrTail('crash-on-start'), [
        'fatal: cannot open database /nonexistent/db.sqlite',
      ]);
    } finally {
      await t.close();
    }
  });

  test('hang in the handshake: PLUGIN_START_FAILED after the start timeout, process killed', async () => {
    const t = await startTestHost(['hang-handshake'], { startTimeoutMs: 700 });
    try {
      await assert.rejects(t.host.call('hang-handshake', 'echo', {}), (error) => {
        assert.ok(isPlugboardError(error, 'PLUGIN_START_FAILED'));
        assert.match(error.message, /did not become ready within 700 ms/);
        assert.match(error.message, /warming up caches/);
        return true;
      });
      const pid = serveCalls(t.spawner)[0]?.child.pid;
      assert.ok(pid !== undefined);
      await waitFor('the hung plugin to be killed', () => !isAlive(pid), 5_000);
    } finally {
      await t.close();
    }
  });

  test('garbage before the handshake: PLUGIN_PROTOCOL_ERROR', async () => {
    const t = await startTestHost(['garbage-handshake']);
    try {
      await assert.rejects(t.host.call('garbage-handshake', 'echo', {}), (error) => {
        assert.ok(isPlugboardError(error, 'PLUGIN_PROTOCOL_ERROR'), String(error));
        assert.match(error.message, /Hello! Server starting/);
        return true;
      });
      const pid = serveCalls(t.spawner)[0]?.child.pid;
      assert.ok(pid !== undefined);
      await waitFor('the plugin to be killed', () => !isAlive(pid), 5_000);
    } finally {
      await t.close();
    }
  });

  test('ignore SIGTERM: shutdown escalates /shutdown → SIGTERM → SIGKILL', async () => {
    const t = await startTestHost(['ignore-sigterm'], {
      shutdownGraceMs: 300,
      sigtermGraceMs: 300,
    });
    const answer = (await t.host.call('ignore-sigterm', 'echo', { message: 'x' })) as {
      pid: number;
    };
    await t.close(); // asserts the process is gone and the socket folder removed
    assert.equal(isAlive(answer.pid), false);
    const messages = t.logger.records.map((r) => r.message);
    assert.ok(messages.includes('ignoring stdin EOF'), 'stdin was closed first');
    assert.ok(messages.includes('ignoring SIGTERM'), 'SIGTERM was sent before SIGKILL');
    assert.equal(serveCalls(t.spawner)[0]?.child.signalCode, 'SIGKILL');
  });

  test('stderr flood: lines are cut and only the last N are kept', async () => {
    const t = await startTestHost(['flood-stderr'], {
      stderrTailLines: 10,
      maxLogLineLength: 64,
    });
    try {
      await t.host.call('flood-stderr', 'echo', { message: 'x' }); // 5000 lines on start
      await t.host.call('flood-stderr', 'flood', { lines: 20_000, lineLength: 1_000 });
      // One 8 MB line with no newline at all.
      await t.host.call('flood-stderr', 'flood', {
        lines: 1,
        lineLength: 8_000_000,
        noNewline: true,
      });
      await waitFor('the flood to be forwarded', () =>
        t.logger.records.some((r) => r.message === 'flood done'),
      );
      const tail = t.host.stderrTail('flood-stderr');
      assert.equal(tail.length, 10);
      const forwarded = t.logger.records.filter((r) => r.fields['plugin'] === 'flood-stderr');
      assert.ok(forwarded.length > 25_000, `only ${forwarded.length} lines forwarded`);
      const longest = Math.max(...forwarded.map((r) => r.message?.length ?? 0));
      assert.ok(longest <= 64 + 20, `a forwarded line has ${longest} characters`);
    } finally {
      await t.close();
    }
  });
});

describe('when the host dies', () => {
  // The Python plugin joins when python3 is there; the Node one always runs.
  const plugins = pythonAvailable() ? ['node-echo', 'python-echo'] : ['node-echo'];

  test('its plugins exit by themselves (stdin EOF) after the host is SIGKILLed', async () => {
    const root = makePluginRoot(plugins);
    // The dead host cannot remove its socket folders; they go with this folder.
    const sockets = makeTempDir('pbs-');
    try {
      const child = spawn(
        process.execPath,
        [fixturePath('host-child.mjs'), root.path, sockets.path, ...plugins],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let output = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => (output += chunk));
      await waitFor('the host to report its plugins', () => output.includes('\n'), 30_000);
      const { pids } = JSON.parse(output) as { pids: number[] };
      assert.equal(pids.length, plugins.length);
      for (const pid of pids) assert.ok(isAlive(pid), `plugin ${pid} is not running`);

      child.kill('SIGKILL');
      await once(child, 'exit');
      const killedAt = Date.now();
      await waitFor('every plugin to exit', () => pids.every((pid) => !isAlive(pid)), 10_000);
      // The contract says 2 s; allow slack for a loaded machine but catch a plugin that stays.
      assert.ok(Date.now() - killedAt < 10_000);
    } finally {
      root.remove();
      sockets.remove();
    }
  });
});
