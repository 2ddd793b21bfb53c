import type { Permissions } from '@plugboard/core';

/** Bytes in one MiB. */
const BYTES_PER_MIB = 1024 * 1024;

/**
 * Open-file limit (RLIMIT_NOFILE, soft and hard) when the manifest declares none: enough for a
 * server with a few hundred connections, small enough to stop a descriptor leak early.
 */
export const DEFAULT_OPEN_FILES = 1024;

/**
 * Seconds between the CPU-time soft limit (SIGXCPU, which a plugin may catch to clean up) and the
 * hard limit (SIGKILL, which it cannot).
 */
export const CPU_KILL_GRACE_SECONDS = 5;

/**
 * Address space added on top of a Node plugin's declared memory before RLIMIT_AS is applied.
 * V8 and glibc reserve far more virtual memory than they use: measured on Node 20 (x64), a process
 * that has run nothing holds ~730 MiB of address space (V8 refuses to start below ~800 MiB:
 * "Failed to reserve virtual memory for CodeRange"), ~1.1 GiB once the libuv thread pool has
 * run (a malloc arena per thread), and peaks near 1.9 GiB while one Worker starts. So a Node
 * plugin's memory is bounded by its V8 heap (`--max-old-space-size`) and RLIMIT_AS is only a
 * backstop against runaway off-heap memory (Buffers), set high enough never to break start-up.
 */
export const NODE_ADDRESS_SPACE_HEADROOM_MB = 4096;

/**
 * Limits applied when the manifest declares none. Only `openFiles` has a default: an address-space
 * limit breaks runtimes that reserve large virtual ranges (JVM, Node, Go race builds), and
 * RLIMIT_CPU counts CPU time over the whole life of a long-running plugin server, so any default
 * would eventually kill a healthy plugin. Hosts may set their own defaults.
 */
export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = Object.freeze({
  openFiles: DEFAULT_OPEN_FILES,
});

/** Resource limits, declared by a manifest or defaulted by the host. */
export interface SandboxLimits {
  /** Memory in MiB: RLIMIT_AS for executables, the V8 heap (plus an RLIMIT_AS backstop) for Node. */
  readonly memoryMb?: number;
  /** Lifetime CPU time in seconds (RLIMIT_CPU soft limit). */
  readonly cpuSeconds?: number;
  /** Open file descriptors (RLIMIT_NOFILE). */
  readonly openFiles?: number;
}

/** The limits a plugin gets: its declared ones, else the host's defaults. */
export function effectiveLimits(
  permissions: Permissions | undefined,
  defaults: SandboxLimits = DEFAULT_SANDBOX_LIMITS,
): SandboxLimits {
  const memoryMb = permissions?.memory_mb ?? defaults.memoryMb;
  const cpuSeconds = permissions?.cpu_seconds ?? defaults.cpuSeconds;
  const openFiles = permissions?.open_files ?? defaults.openFiles;
  return {
    ...(memoryMb === undefined ? {} : { memoryMb }),
    ...(cpuSeconds === undefined ? {} : { cpuSeconds }),
    ...(openFiles === undefined ? {} : { openFiles }),
  };
}

/** Kernel limits set through `prlimit`, as decided for one plugin. */
export interface KernelLimits {
  /** RLIMIT_AS in MiB. */
  readonly addressSpaceMb?: number;
  /** RLIMIT_CPU soft limit in seconds (SIGXCPU). */
  readonly cpuSoftSeconds?: number;
  /** RLIMIT_CPU hard limit in seconds (SIGKILL). */
  readonly cpuHardSeconds?: number;
  /** RLIMIT_NOFILE, soft and hard. */
  readonly openFiles?: number;
}

/** The kernel limits for `limits`; Node plugins get a larger address space (see the headroom). */
export function kernelLimitsFor(limits: SandboxLimits, isNode: boolean): KernelLimits {
  const { memoryMb, cpuSeconds, openFiles } = limits;
  return {
    ...(memoryMb === undefined
      ? {}
      : { addressSpaceMb: isNode ? memoryMb + NODE_ADDRESS_SPACE_HEADROOM_MB : memoryMb }),
    ...(cpuSeconds === undefined
      ? {}
      : { cpuSoftSeconds: cpuSeconds, cpuHardSeconds: cpuSeconds + CPU_KILL_GRACE_SECONDS }),
    ...(openFiles === undefined ? {} : { openFiles }),
  };
}

/** `prlimit` options for `limits` (without the program name and the closing `--`). */
export function prlimitOptions(limits: KernelLimits): string[] {
  const options: string[] = [];
  if (limits.addressSpaceMb !== undefined) {
    options.push(`--as=${String(limits.addressSpaceMb * BYTES_PER_MIB)}`);
  }
  if (limits.cpuSoftSeconds !== undefined && limits.cpuHardSeconds !== undefined) {
    options.push(`--cpu=${String(limits.cpuSoftSeconds)}:${String(limits.cpuHardSeconds)}`);
  }
  if (limits.openFiles !== undefined) {
    options.push(`--nofile=${String(limits.openFiles)}:${String(limits.openFiles)}`);
  }
  return options;
}
