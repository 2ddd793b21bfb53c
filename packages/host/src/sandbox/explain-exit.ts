import type { SandboxApplied } from './build-sandboxed-spawn.js';

/** Why a sandboxed plugin process ended, as far as its exit status and the sandbox tell. */
export type ExitKind =
  | 'exited' // exit code 0
  | 'failed' // non-zero exit code
  | 'memory-limit' // killed for exceeding the memory limit
  | 'cpu-limit' // killed for exceeding the CPU-time limit
  | 'stopped' // killed by the host's own stop
  | 'signal'; // killed by some other signal

/** A classified exit: what happened and a sentence for operators. */
export interface ExitExplanation {
  readonly kind: ExitKind;
  /** One line, e.g. `killed: exceeded memory limit of 64 MiB (V8 heap)`. */
  readonly message: string;
}

/** What the caller knows beyond the exit status. */
export interface ExitContext {
  /** True when the host itself sent SIGTERM or SIGKILL (a stop, not a limit). */
  readonly stopRequested?: boolean;
}

/** Signals a program raises on itself when an allocation fails under RLIMIT_AS. */
const ALLOCATION_FAILURE_SIGNALS: ReadonlySet<string> = new Set([
  'SIGABRT', // abort(): glibc, V8 fatal OOM
  'SIGSEGV', // an unchecked NULL from malloc
  'SIGBUS',
  'SIGTRAP', // V8's "Failed to reserve virtual memory" breakpoint
]);

/**
 * Classifies a plugin's exit against the limits the sandbox applied. Exact where the signal
 * identifies the cause (SIGXCPU is only sent by RLIMIT_CPU; a Node plugin with a heap limit
 * aborts with SIGABRT when V8 runs out of heap), hedged where it does not (a native crash under
 * RLIMIT_AS is "likely" the limit).
 */
export function classifyExit(
  code: number | null,
  signal: string | null,
  applied: SandboxApplied | undefined,
  context: ExitContext = {},
): ExitExplanation {
  if (signal === null || signal === undefined) {
    if (code === 0) return { kind: 'exited', message: 'exited normally (code 0)' };
    const memoryMb = applied?.kernel.addressSpaceMb;
    // Python, Perl and shells exit 1 or 2 on a failed allocation rather than die of a signal.
    const hint =
      memoryMb === undefined || applied?.heapMb !== undefined
        ? ''
        : ` (a failed allocation under the ${String(memoryMb)} MiB memory limit also ends this way)`;
    return { kind: 'failed', message: `exited with code ${String(code)}${hint}` };
  }
  const kernel = applied?.kernel ?? {};
  if (context.stopRequested === true && (signal === 'SIGTERM' || signal === 'SIGKILL')) {
    return { kind: 'stopped', message: `stopped by the host (${signal})` };
  }
  if (signal === 'SIGXCPU' && kernel.cpuSoftSeconds !== undefined) {
    return {
      kind: 'cpu-limit',
      message: `killed: exceeded CPU-time limit of ${String(kernel.cpuSoftSeconds)} s (SIGXCPU)`,
    };
  }
  if (signal === 'SIGKILL' && kernel.cpuHardSeconds !== undefined) {
    // Nothing else in the sandbox sends SIGKILL, but the kernel's OOM killer and other people can.
    return {
      kind: 'cpu-limit',
      message:
        `killed (SIGKILL): most likely the CPU-time hard limit of ${String(kernel.cpuHardSeconds)} s ` +
        '(the plugin ignored SIGXCPU)',
    };
  }
  if (applied?.heapMb !== undefined && (signal === 'SIGABRT' || signal === 'SIGTRAP')) {
    return {
      kind: 'memory-limit',
      message: `killed: exceeded memory limit of ${String(applied.heapMb)} MiB (V8 heap, ${signal})`,
    };
  }
  if (kernel.addressSpaceMb !== undefined && ALLOCATION_FAILURE_SIGNALS.has(signal)) {
    return {
      kind: 'memory-limit',
      message:
        `killed by ${signal}: likely exceeded memory limit of ${String(kernel.addressSpaceMb)} MiB ` +
        '(address space; an allocation failed)',
    };
  }
  return { kind: 'signal', message: `killed by ${signal}` };
}

/**
 * One sentence explaining a plugin's exit, for logs and error messages.
 *
 * @example
 * child.on('exit', (code, signal) => logger.warn({}, explainExit(code, signal, plan.applied)));
 * // → "killed: exceeded memory limit of 64 MiB (V8 heap, SIGABRT)"
 */
export function explainExit(
  code: number | null,
  signal: string | null,
  applied: SandboxApplied | undefined,
  context: ExitContext = {},
): string {
  return classifyExit(code, signal, applied, context).message;
}
