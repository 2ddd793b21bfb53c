import type { ChildProcess } from 'node:child_process';

/**
 * Sends `signal` to the child's whole process group (the host starts plugins as group leaders, so
 * a shell script's children go too), falling back to the child alone when it has no group of its
 * own. Returns false when the process is already gone.
 */
export function signalProcessGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
  const pid = child.pid;
  if (pid === undefined) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    try {
      return child.kill(signal);
    } catch {
      return false;
    }
  }
}

/** True while the child has neither exited nor been reaped. */
export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Resolves when the child has exited (at once if it already has). */
export function waitForExit(child: ChildProcess): Promise<void> {
  if (!isRunning(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Resolves true when the child exits within `ms`, false otherwise. */
export async function waitForExitWithin(child: ChildProcess, ms: number): Promise<boolean> {
  if (!isRunning(child)) return true;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([waitForExit(child).then(() => true as const), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
