import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PlugboardError } from '@plugboard/core';
import {
  buildSandboxedSpawn,
  type SandboxedSpawn,
  type SandboxSpawnInput,
} from './build-sandboxed-spawn.js';

/** The shape of `child_process.spawn` (and of the host's `PluginSpawner`). */
export type SpawnFunction = (
  command: string,
  args: readonly string[],
  options: SpawnOptions,
) => ChildProcess;

/** One plugin's sandbox settings, for `sandboxedSpawner`. */
export interface SandboxedSpawnerOptions extends Omit<
  SandboxSpawnInput,
  'command' | 'args' | 'env' | 'cwd' | 'socketDir'
> {
  /** The plugin's folder, used when a spawn passes no `cwd`. */
  readonly pluginDir?: string;
  /** Called with each plan just before spawning: log its warnings, keep `applied` for exits. */
  readonly onPlan?: (plan: SandboxedSpawn) => void;
}

/** The folder of the socket in `serve --socket <path>` (protocol plugboard/1), if present. */
function socketDirFromArgs(args: readonly string[]): string | undefined {
  const index = args.lastIndexOf('--socket');
  const path = index === -1 ? undefined : args[index + 1];
  return path === undefined ? undefined : dirname(path);
}

/**
 * Wraps a spawn function so every process it starts for one plugin runs in that plugin's sandbox
 * (`buildSandboxedSpawn`). The working directory and environment come from each spawn's options;
 * the socket folder from its `--socket <path>` arguments.
 *
 * @example
 * const spawner = sandboxedSpawner(spawn, {
 *   pluginDir, dataDir, permissions: manifest.permissions, runtime: manifest.runtime, support,
 *   onPlan: (plan) => plan.warnings.forEach((w) => logger.warn({ plugin }, w)),
 * });
 */
export function sandboxedSpawner(
  base: SpawnFunction,
  options: SandboxedSpawnerOptions,
): SpawnFunction {
  const { pluginDir, onPlan, ...settings } = options;
  return (command, args, spawnOptions) => {
    const given = spawnOptions.cwd;
    const cwd =
      given === undefined ? pluginDir : typeof given === 'string' ? given : fileURLToPath(given);
    if (cwd === undefined) {
      throw new PlugboardError(
        'INVALID_ARGUMENT',
        `sandboxed spawn of "${command}" has no working directory: pass cwd or pluginDir`,
      );
    }
    const socketDir = socketDirFromArgs(args);
    const plan = buildSandboxedSpawn({
      ...settings,
      command,
      args,
      cwd,
      env: spawnOptions.env ?? process.env,
      ...(socketDir === undefined ? {} : { socketDir }),
    });
    onPlan?.(plan);
    return base(plan.command, plan.args, { ...spawnOptions, cwd: plan.cwd, env: plan.env });
  };
}
