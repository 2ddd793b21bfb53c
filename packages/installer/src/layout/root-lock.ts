import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { PlugboardError } from '@plugboard/core';

/** How long to wait for another process's lock by default (an install may download for a while). */
export const DEFAULT_LOCK_TIMEOUT_MS = 10 * 60_000;
/** Pause between attempts to take the lock. */
const LOCK_RETRY_MS = 100;
/** An unreadable lock file older than this is left over from a crash between create and write. */
const UNREADABLE_LOCK_STALE_MS = 5_000;

/** Who holds the lock (written into the lock file). */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly id: string;
  readonly since: string;
}

/** Options of `acquireRootLock`. */
export interface RootLockOptions {
  readonly timeoutMs?: number | undefined;
  /** Called once when another process holds the lock, so a CLI can say it is waiting. */
  readonly onWait?: ((owner: LockOwner | undefined) => void) | undefined;
}

/** A held lock; `release` is idempotent. */
export interface HeldLock {
  readonly owner: LockOwner;
  release(): Promise<void>;
}

/**
 * Takes the install root's file lock: a file created with `O_EXCL` holding the owner's pid, host
 * and a random id. A lock whose owner process is gone (same host, pid no longer alive) is taken
 * over, so a SIGKILLed install never blocks the next one. Waits up to `timeoutMs`, then throws
 * `CONFLICT` naming the owner.
 */
export async function acquireRootLock(
  path: string,
  options: RootLockOptions = {},
): Promise<HeldLock> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    id: randomUUID(),
    since: new Date().toISOString(),
  };
  await mkdir(dirname(path), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    if (await tryCreate(path, owner)) {
      let released = false;
      return {
        owner,
        async release() {
          if (released) return;
          released = true;
          const current = await readOwner(path);
          if (current?.id === owner.id) await unlink(path).catch(() => undefined);
        },
      };
    }
    const current = await readOwner(path);
    if (await isStale(path, current)) {
      await takeOver(path, current);
      continue;
    }
    if (!told) {
      told = true;
      options.onWait?.(current);
    }
    if (Date.now() > deadline) {
      throw new PlugboardError(
        'CONFLICT',
        `the install root is locked by another plugboard process${current === undefined ? '' : ` (pid ${current.pid} on ${current.host}, since ${current.since})`}; wait for it to finish, or remove ${path} if that process is gone`,
        { details: { lock: path, ...(current === undefined ? {} : { pid: current.pid }) } },
      );
    }
    await new Promise((resolve) =>
      setTimeout(resolve, LOCK_RETRY_MS + Math.random() * LOCK_RETRY_MS),
    );
  }
}

async function tryCreate(path: string, owner: LockOwner): Promise<boolean> {
  let file;
  try {
    file = await open(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await file.writeFile(`${JSON.stringify(owner)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  return true;
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    if (
      typeof parsed.pid === 'number' &&
      typeof parsed.id === 'string' &&
      typeof parsed.host === 'string'
    ) {
      return parsed as LockOwner;
    }
  } catch {
    // Missing (released meanwhile) or unreadable: the caller decides.
  }
  return undefined;
}

async function isStale(path: string, owner: LockOwner | undefined): Promise<boolean> {
  if (owner === undefined) {
    const info = await stat(path).catch(() => undefined);
    return info !== undefined && Date.now() - info.mtimeMs > UNREADABLE_LOCK_STALE_MS;
  }
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return false;
  return !isAlive(owner.pid);
}

/** True while a process with this pid exists (EPERM: it exists but is not ours). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Moves the stale lock aside, then checks that what was moved is the lock judged stale; if another
 * process took the lock meanwhile, its lock is put back (link fails rather than overwrite a third).
 */
async function takeOver(path: string, stale: LockOwner | undefined): Promise<void> {
  const aside = `${path}.stale-${randomUUID()}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readOwner(aside);
  if (moved !== undefined && moved.id !== stale?.id) {
    await link(aside, path).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}
