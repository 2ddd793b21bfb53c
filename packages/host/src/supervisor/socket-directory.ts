import { chmodSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlugboardError } from '@plugboard/core';
import { socketPathProblem } from '@plugboard/protocol';

/** A private folder holding one plugin process's unix socket. */
export interface SocketDirectory {
  readonly dir: string;
  readonly socketPath: string;
  /** Removes the folder and everything in it; safe to call twice. */
  remove(): Promise<void>;
}

// Short names keep the path under the limit even in a deep TMPDIR.
const SOCKET_FILE = 'p.sock';
const FALLBACK_PARENT = '/tmp';

/**
 * Creates a private (0700) folder for a plugin's socket. The socket path must fit the OS limit
 * (checked with the protocol's limit of 100 bytes); when the preferred parent is too deep, a folder
 * directly under /tmp is used; when even that is too long, `PLUGIN_START_FAILED`. The folder is
 * made with synchronous calls (tens of microseconds): they come before the plugin's spawn, and
 * each asynchronous one would wait for a thread-pool turn.
 */
export async function createSocketDirectory(parent: string = tmpdir()): Promise<SocketDirectory> {
  const problems: string[] = [];
  for (const candidate of [...new Set([parent, FALLBACK_PARENT])]) {
    let dir: string;
    try {
      dir = mkdtempSync(join(candidate, 'pb-'));
    } catch (error) {
      problems.push(`cannot create a folder in "${candidate}": ${(error as Error).message}`);
      continue;
    }
    const socketPath = join(dir, SOCKET_FILE);
    const problem = socketPathProblem(socketPath);
    if (problem !== undefined) {
      problems.push(problem);
      await rm(dir, { recursive: true, force: true });
      continue;
    }
    // mkdtemp already creates 0700; chmod guards against an unusual umask or platform.
    chmodSync(dir, 0o700);
    return {
      dir,
      socketPath,
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  }
  throw new PlugboardError(
    'PLUGIN_START_FAILED',
    `no usable folder for a plugin socket: ${problems.join('; ')}`,
    { details: { problems } },
  );
}
