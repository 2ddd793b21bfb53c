// Real folders, real fs.watch: each change to a plugin produces exactly one debounced report.
import assert from 'node:assert/strict';
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, test } from 'node:test';
import { makeTempDir } from '@plugboard/test-support';
import { watchPluginRoots, type PluginChanges } from '../../src/watch/index.js';
import { writeExecutablePlugin, writeManifestPlugin } from './watch-fixtures.js';

const DEBOUNCE_MS = 150;
/** How long to wait for a report before failing: generous, the machine is noisy. */
const REPORT_TIMEOUT_MS = 15_000;
/** Quiet time after a report in which no second report may arrive. */
const SETTLE_MS = DEBOUNCE_MS * 6;

const temp = makeTempDir('plugboard-watch-');
after(() => temp.remove());

/** Collects reports and waits for the next one. */
function recorder() {
  const reports: PluginChanges[] = [];
  let waiting: (() => void) | undefined;
  return {
    reports,
    onChange(changes: PluginChanges): void {
      reports.push(changes);
      waiting?.();
    },
    /** Resolves once `count` reports have arrived, then waits SETTLE_MS for strays. */
    async settle(count: number): Promise<void> {
      const deadline = Date.now() + REPORT_TIMEOUT_MS;
      while (reports.length < count) {
        if (Date.now() > deadline)
          throw new Error(`expected ${String(count)} reports, got ${String(reports.length)}`);
        await Promise.race([new Promise<void>((resolve) => (waiting = resolve)), delay(100)]);
      }
      await delay(SETTLE_MS);
    },
  };
}

test('adding, changing and removing a plugin folder each produce one report', async () => {
  const root = join(temp.path, 'folders');
  writeManifestPlugin(root, 'existing', '1.0.0');
  const seen = recorder();
  const controller = new AbortController();
  const watcher = await watchPluginRoots([root], {
    onChange: (changes) => seen.onChange(changes),
    debounceMs: DEBOUNCE_MS,
    signal: controller.signal,
  });
  try {
    assert.deepEqual(
      watcher.snapshot().map((entry) => entry.path),
      ['existing/1.0.0'],
    );

    const dir = writeManifestPlugin(root, 'aws', '1.0.0'); // several files and folders at once
    await seen.settle(1);
    assert.equal(seen.reports.length, 1);
    assert.deepEqual(seen.reports[0], {
      added: [{ root, path: 'aws/1.0.0', kind: 'folder' }],
      changed: [],
      removed: [],
    });

    appendFileSync(join(dir, 'main.js'), '// edited\n');
    await seen.settle(2);
    assert.equal(seen.reports.length, 2);
    assert.deepEqual(seen.reports[1], {
      added: [],
      changed: [{ root, path: 'aws/1.0.0', kind: 'folder' }],
      removed: [],
    });

    rmSync(join(root, 'aws'), { recursive: true });
    await seen.settle(3);
    assert.equal(seen.reports.length, 3);
    assert.deepEqual(seen.reports[2], {
      added: [],
      changed: [],
      removed: [{ root, path: 'aws/1.0.0', kind: 'folder' }],
    });
  } finally {
    controller.abort();
  }
});

test('a root that does not exist yet is picked up when it appears', async () => {
  const root = join(temp.path, 'later', 'plugins');
  const seen = recorder();
  const watcher = await watchPluginRoots([root], {
    onChange: (changes) => seen.onChange(changes),
    debounceMs: DEBOUNCE_MS,
    missingRootPollMs: 100,
  });
  try {
    assert.deepEqual(watcher.snapshot(), []);
    writeExecutablePlugin(root, 'ocm-plugin');
    await seen.settle(1);
    assert.deepEqual(seen.reports, [
      { added: [{ root, path: 'ocm-plugin', kind: 'executable' }], changed: [], removed: [] },
    ]);
    // And it is watched from then on.
    writeExecutablePlugin(join(root, 'nested'), 'second');
    await seen.settle(2);
    assert.deepEqual(seen.reports[1]?.added, [{ root, path: 'nested/second', kind: 'executable' }]);
  } finally {
    watcher.close();
  }
});

test('a root that is deleted reports its plugins removed, and is picked up again', async () => {
  const root = join(temp.path, 'deleted');
  writeManifestPlugin(root, 'p', '1.0.0');
  const seen = recorder();
  const watcher = await watchPluginRoots([root], {
    onChange: (changes) => seen.onChange(changes),
    debounceMs: DEBOUNCE_MS,
    missingRootPollMs: 100,
  });
  try {
    rmSync(root, { recursive: true });
    await seen.settle(1);
    assert.deepEqual(seen.reports[0]?.removed, [{ root, path: 'p/1.0.0', kind: 'folder' }]);
    writeManifestPlugin(root, 'p', '2.0.0');
    await seen.settle(2);
    assert.deepEqual(seen.reports[1]?.added, [{ root, path: 'p/2.0.0', kind: 'folder' }]);
  } finally {
    watcher.close();
  }
});

test('after close, changes are no longer reported', async () => {
  const root = join(temp.path, 'closed');
  writeManifestPlugin(root, 'p', '1.0.0');
  const seen = recorder();
  const watcher = await watchPluginRoots([root], {
    onChange: (changes) => seen.onChange(changes),
    debounceMs: DEBOUNCE_MS,
  });
  watcher.close();
  writeManifestPlugin(root, 'q', '1.0.0');
  await delay(SETTLE_MS * 2);
  assert.deepEqual(seen.reports, []);
});

test('a throwing onChange is reported to onError and the watcher keeps going', async () => {
  const root = join(temp.path, 'throwing');
  writeManifestPlugin(root, 'p', '1.0.0');
  const errors: unknown[] = [];
  let calls = 0;
  const watcher = await watchPluginRoots([root], {
    onChange: () => {
      calls += 1;
      throw new Error('consumer failed');
    },
    onError: (error) => errors.push(error),
    debounceMs: DEBOUNCE_MS,
  });
  try {
    writeManifestPlugin(root, 'q', '1.0.0');
    const deadline = Date.now() + REPORT_TIMEOUT_MS;
    while (calls < 1 && Date.now() < deadline) await delay(50);
    writeManifestPlugin(root, 'r', '1.0.0');
    while (calls < 2 && Date.now() < deadline) await delay(50);
    assert.equal(calls, 2);
    assert.equal(errors.length, 2);
    assert.deepEqual(
      watcher.snapshot().map((entry) => entry.path),
      ['p/1.0.0', 'q/1.0.0', 'r/1.0.0'],
    );
  } finally {
    watcher.close();
  }
});
