import assert from 'node:assert/strict';
import { readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@plugboard/test-support';
import { PluginHost, type PluginHostOptions } from '../../src/index.js';
import {
  countingSpawner,
  isAlive,
  makePluginRoot,
  recordingLogger,
  serveCalls,
  waitFor,
} from './fixtures.js';

/** A host over a temporary root of fixture plugins, with everything a test wants to look at. */
export interface TestHost {
  readonly host: PluginHost;
  readonly spawner: ReturnType<typeof countingSpawner>;
  readonly logger: ReturnType<typeof recordingLogger>;
  readonly root: string;
  readonly socketDir: string;
  /** Shuts the host down and asserts that no plugin process and no socket folder is left. */
  close(): Promise<void>;
}

/**
 * Starts (and discovers) a host over the named fixture plugins, plus `links` (name → any path)
 * placed in the same root.
 */
export async function startTestHost(
  plugins: readonly string[],
  options: Partial<PluginHostOptions> = {},
  links: Readonly<Record<string, string>> = {},
): Promise<TestHost> {
  const root = makePluginRoot(plugins);
  for (const [name, target] of Object.entries(links)) symlinkSync(target, join(root.path, name));
  const sockets = makeTempDir('pbs-');
  const spawner = countingSpawner();
  const logger = recordingLogger();
  const host = new PluginHost({
    roots: [root.path],
    spawner,
    logger,
    socketDir: sockets.path,
    idleTimeoutMs: 0,
    shutdownGraceMs: 3_000,
    sigtermGraceMs: 2_000,
    ...options,
  });
  await host.discover();
  return {
    host,
    spawner,
    logger,
    root: root.path,
    socketDir: sockets.path,
    async close() {
      try {
        await host.shutdown();
        for (const call of serveCalls(spawner)) {
          const pid = call.child.pid;
          if (pid !== undefined) {
            await waitFor(`plugin pid ${pid} to be gone`, () => !isAlive(pid), 5_000);
          }
        }
        assert.deepEqual(readdirSync(sockets.path), [], 'socket folders left behind');
      } finally {
        root.remove();
        sockets.remove();
      }
    },
  };
}
