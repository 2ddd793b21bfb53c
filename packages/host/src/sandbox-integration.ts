import { PlugboardError } from '@plugboard/core';
import type { PluginSpawner } from './spawner.js';

/**
 * The spawner plugins run under: the given one, or — with `sandbox: true` — the sandboxed one
 * from `src/sandbox`.
 */
export function resolveSpawner(base: PluginSpawner, sandbox: boolean): PluginSpawner {
  if (!sandbox) return base;
  throw new PlugboardError(
    'NOT_IMPLEMENTED',
    'sandbox: true needs the sandbox module (src/sandbox), which this build does not have yet',
  );
}
