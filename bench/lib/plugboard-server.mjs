// `plugboard serve` as the benchmarks start it: the built CLI on a data folder, on a free port of
// 127.0.0.1, with an admin token, ready once it prints where it listens.
import { join } from 'node:path';
import { REPO_ROOT } from './bench-paths.mjs';
import { pinned, spawnTracked, stopProcess, waitForOutput } from './child-processes.mjs';

/** The built CLI the benchmarks run. */
export const CLI_MAIN = join(REPO_ROOT, 'packages/cli/dist/src/main.js');

/** How long a server may take to start on a loaded machine, in milliseconds. */
export const SERVER_START_TIMEOUT_MS = 60_000;

/**
 * `plugboard serve` on the data folder, its request log discarded; pinned to CPU `cpu` when that
 * is given and pinning works. `logLevel` undefined leaves the server's default level.
 * Resolves with the child (stop it with stopProcess) and its origin (`http://127.0.0.1:PORT`).
 */
export async function startPlugboardServer({ dataDir, adminToken, logLevel, cpu }) {
  const serve = [CLI_MAIN, 'serve', '--host', '127.0.0.1', '--port', '0', '--data', dataDir];
  const [command, args] =
    cpu === undefined ? [process.execPath, serve] : pinned(cpu, process.execPath, serve);
  const env = { ...process.env, PLUGBOARD_ADMIN_TOKEN: adminToken };
  if (logLevel === undefined) delete env.PLUGBOARD_LOG_LEVEL;
  else env.PLUGBOARD_LOG_LEVEL = logLevel;
  const child = spawnTracked(command, args, {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    const match = await waitForOutput(
      child,
      child.stderr,
      /listening on (http:\/\/[^/\s]+)\/api\/v1/,
      SERVER_START_TIMEOUT_MS,
      'plugboard serve',
    );
    return { child, origin: match[1] };
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
}
