import { PlugboardError } from '@plugboard/core';
import type { DiscoveredPlugin } from '../discovery/discovered-plugin.js';
import type { CrashPolicy } from './crash-tracker.js';
import type { ProcessExit } from './plugin-process.js';

/** `code 3`, `signal SIGKILL`. */
export function describeExit(exit: { code: number | null; signal: NodeJS.Signals | null }): string {
  if (exit.signal !== null) return `signal ${exit.signal}`;
  return exit.code === null ? 'could not run' : `code ${exit.code}`;
}

/** What in-flight calls fail with when their plugin process exits unexpectedly. */
export function crashError(
  plugin: DiscoveredPlugin,
  crashed: { pid: number; exit: ProcessExit; tail: readonly string[] },
  inFlight: number,
  explanation: string | undefined,
  quarantined: boolean,
): PlugboardError {
  const { pid, exit, tail } = crashed;
  const how =
    explanation === undefined ? describeExit(exit) : `${describeExit(exit)}: ${explanation}`;
  const shownTail = tail.length === 0 ? '(no stderr output)' : tail.slice(-20).join('\n');
  return new PlugboardError(
    'PLUGIN_CRASHED',
    `plugin "${plugin.id}" (pid ${pid}) exited (${how}) with ${inFlight} call(s) in flight; stderr:\n${shownTail}`,
    {
      details: {
        plugin: plugin.id,
        pid,
        exitCode: exit.code,
        signal: exit.signal,
        ...(explanation === undefined ? {} : { explanation }),
        stderrTail: [...tail],
        quarantined,
      },
    },
  );
}

/** What calls to a quarantined plugin fail with. */
export function quarantineError(
  plugin: DiscoveredPlugin,
  policy: CrashPolicy,
  tail: readonly string[],
): PlugboardError {
  return new PlugboardError(
    'PLUGIN_QUARANTINED',
    `plugin "${plugin.id}" crashed ${policy.maxCrashes} times within ${policy.windowMs} ms and is quarantined; fix it, then call resetQuarantine("${plugin.name}")`,
    { details: { plugin: plugin.id, stderrTail: [...tail] } },
  );
}

/** What calls fail with once the host is shut down. */
export function shutDownError(plugin: DiscoveredPlugin): PlugboardError {
  return new PlugboardError('UNAVAILABLE', `plugin "${plugin.id}": the host is shut down`);
}

/** What in-flight calls fail with when the host stops their plugin under them. */
export function stoppedError(plugin: DiscoveredPlugin): PlugboardError {
  return new PlugboardError(
    'UNAVAILABLE',
    `plugin "${plugin.id}" was stopped while the call was in flight`,
  );
}
