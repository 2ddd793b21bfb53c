import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/**
 * Starts a process; the same shape as `child_process.spawn`. The host starts every plugin process
 * (`capabilities` and `serve`) through one, so a sandbox can wrap it and tests can count spawns.
 */
export type PluginSpawner = (
  command: string,
  args: readonly string[],
  options: SpawnOptions,
) => ChildProcess;

/** The default spawner: `child_process.spawn` with no sandbox. */
export const plainSpawner: PluginSpawner = (command, args, options) =>
  spawn(command, args, options);
