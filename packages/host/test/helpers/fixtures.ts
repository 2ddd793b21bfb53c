import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { commandWorks, makeTempDir } from '@plugboard/test-support';
import type { HostLogger, LogLevel, PluginSpawner } from '../../src/index.js';

/** Absolute path of something under `packages/host/test/fixtures`. */
export function fixturePath(...parts: string[]): string {
  // Compiled to dist/test/helpers/, so the package root is three levels up.
  return join(fileURLToPath(new URL('../../../test/fixtures/', import.meta.url)), ...parts);
}

/** A temporary plugin root holding symbolic links to the named fixture plugins. */
export function makePluginRoot(plugins: readonly string[]): { path: string; remove(): void } {
  const dir = makeTempDir('plugboard-host-root-');
  for (const plugin of plugins) symlinkSync(fixturePath('plugins', plugin), join(dir.path, plugin));
  return dir;
}

/** One record received by a `RecordingLogger`. */
export interface LogRecord {
  readonly level: LogLevel;
  readonly fields: Record<string, unknown>;
  readonly message: string | undefined;
}

/** A logger that keeps what it receives, for assertions. */
export function recordingLogger(): HostLogger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  const method = (level: LogLevel) => (fields: Record<string, unknown>, message?: string) => {
    records.push({ level, fields, message });
  };
  return {
    records,
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
  };
}

/** One process started through a `countingSpawner`. */
export interface SpawnRecord {
  readonly command: string;
  readonly args: readonly string[];
  readonly child: ChildProcess;
}

/** A spawner that counts and records the processes it starts. */
export function countingSpawner(): PluginSpawner & { calls: SpawnRecord[] } {
  const calls: SpawnRecord[] = [];
  const spawner = (
    command: string,
    args: readonly string[],
    options: SpawnOptions,
  ): ChildProcess => {
    const child = spawn(command, args, options);
    calls.push({ command, args, child });
    return child;
  };
  return Object.assign(spawner, { calls });
}

/** The `serve` processes among a spawner's records. */
export function serveCalls(spawner: { calls: SpawnRecord[] }): SpawnRecord[] {
  return spawner.calls.filter((call) => call.args.includes('serve'));
}

/** True while `pid` is a live process (a zombie counts as dead). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 3 (after the parenthesised command) is the state; Z is a zombie, X dead.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/** Polls `predicate` every 25 ms until it is true; throws after `timeoutMs`. */
export async function waitFor(
  what: string,
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Whether `python3` runs here (the Python fixture plugin needs it). */
export function pythonAvailable(): boolean {
  return commandWorks('python3');
}
