// Every process the benchmarks start goes through here, so none outlives the run: each is stopped
// in the caller's `finally`, and whatever is still alive when the runner exits (an exception, Ctrl-C)
// is killed by pid.
import { Buffer } from 'node:buffer';
import { clearTimeout, setTimeout } from 'node:timers';
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';

const live = new Set();
let exitHookInstalled = false;

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping ${live.size} benchmark process(es)`);
      process.exit(130);
    });
  }
}

let tasksetWorks;
/** True when `taskset` exists and the machine has at least two CPUs to pin to. */
export function canPin() {
  if (tasksetWorks === undefined) {
    try {
      execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
      tasksetWorks = availableParallelism() >= 2;
    } catch {
      tasksetWorks = false;
    }
  }
  return tasksetWorks;
}

/** `[command, args]` run on CPU `cpu` when pinning works, unchanged otherwise (taskset execs, so the pid stays the same). */
export function pinned(cpu, command, args) {
  return canPin() ? ['taskset', ['-c', String(cpu), command, ...args]] : [command, args];
}

/** Spawns a process that is killed when the runner exits, whatever happens. */
export function spawnTracked(command, args, options = {}) {
  installExitHook();
  const child = spawn(command, args, options);
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  return child;
}

function hasExited(child) {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
export async function stopProcess(child, graceMs = 5_000) {
  if (child === undefined || hasExited(child) || child.pid === undefined) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Resolves with the first match of `pattern` in what `stream` prints; rejects when the process
 * exits first or nothing matches within `timeoutMs`.
 */
export function waitForOutput(child, stream, pattern, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const finish = (error, match) => {
      clearTimeout(timer);
      stream.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(match);
    };
    const onData = (chunk) => {
      seen = (seen + chunk.toString('utf8')).slice(-16_384);
      const match = pattern.exec(seen);
      if (match) finish(undefined, match);
    };
    const onExit = (code, signal) =>
      finish(
        new Error(`${what} exited (${signal ?? code}) before it was ready; it printed:\n${seen}`),
      );
    const timer = setTimeout(
      () => finish(new Error(`${what} was not ready after ${timeoutMs} ms; it printed:\n${seen}`)),
      timeoutMs,
    );
    stream.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * Runs a command to completion, killing it after `timeoutMs`; resolves with its exit code and output.
 */
export async function runBounded(command, args, { timeoutMs, ...options }) {
  const child = spawnTracked(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout = [];
  const stderr = [];
  child.stdout.on('data', (chunk) => stdout.push(chunk));
  child.stderr.on('data', (chunk) => stderr.push(chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  try {
    // 'close', not 'exit': only then has everything the process printed been read.
    const [code, signal] = await once(child, 'close');
    return {
      code,
      signal,
      timedOut,
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
    };
  } finally {
    clearTimeout(timer);
    await stopProcess(child);
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago (for servers that cannot report theirs). */
export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** Resident and peak resident memory of a live process, in MiB (Linux `/proc`). */
export async function memoryOf(pid) {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
}
