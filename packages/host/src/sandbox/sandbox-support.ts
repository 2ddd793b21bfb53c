import { spawn, spawnSync } from 'node:child_process';

/** How long one probe command may run before it counts as "does not work". */
export const SANDBOX_PROBE_TIMEOUT_MS = 10_000;

/** A sandbox tool that works, with the argv prefix that invokes it. */
export interface WorkingTool {
  readonly available: true;
  /** Program and arguments placed before the wrapped command, e.g. `['unshare', '-n']`. */
  readonly prefix: readonly string[];
}

/** `prlimit` when it works, with the host's own hard open-file limit (a plugin cannot exceed it). */
export interface WorkingPrlimit extends WorkingTool {
  /** The host's RLIMIT_NOFILE hard limit; `undefined` when unlimited or unknown. */
  readonly openFilesHardLimit?: number;
}

/** A sandbox tool that does not work here, and why. */
export interface MissingTool {
  readonly available: false;
  /** Why, including what was tried: shown to operators in sandbox warnings. */
  readonly reason: string;
}

/** Result of probing one tool. */
export type ToolSupport = WorkingTool | MissingTool;

/** Node's permission model as the plugin's Node supports it. */
export type NodePermissionSupport =
  | {
      readonly available: true;
      /** `--permission` (Node ≥ 23.5) or `--experimental-permission` (Node 20–22). */
      readonly flag: '--permission' | '--experimental-permission';
      /** Whether `--disable-warning=ExperimentalWarning` is accepted (Node ≥ 20.11). */
      readonly canDisableWarning: boolean;
    }
  | MissingTool;

/**
 * What this machine can enforce. Probed once (`probeSandboxSupport`) and passed to
 * `buildSandboxedSpawn`, which stays free of process spawning; tests build one by hand to simulate
 * a machine without `prlimit` or `unshare`.
 */
export interface SandboxSupport {
  readonly platform: NodeJS.Platform;
  /** `prlimit` from util-linux: address-space, CPU-time and open-file limits. */
  readonly prlimit: WorkingPrlimit | MissingTool;
  /** A new, empty network namespace: `unshare -n` (root) or `unshare -rn` (unprivileged). */
  readonly networkIsolation: ToolSupport;
  /** Node's permission model, probed with the Node that runs `node` plugins. */
  readonly nodePermission: NodePermissionSupport;
}

/** Options of `probeSandboxSupport`. */
export interface ProbeSandboxOptions {
  /** The Node binary that runs `node` plugins. Default `process.execPath`. */
  readonly nodeCommand?: string;
  /** Default `process.platform`. */
  readonly platform?: NodeJS.Platform;
}

interface ProbeRun {
  readonly ok: boolean;
  readonly stdout: string;
  readonly detail: string;
}

/** One probe command: program and arguments. */
type ProbeCommand = readonly [command: string, args: readonly string[]];

/** The probe logic, written once; `yield` runs a command, synchronously or not (see the drivers). */
type ProbeSteps = Generator<ProbeCommand, SandboxSupport, ProbeRun>;

function describeRun(
  status: number | null,
  signal: string | null,
  error: Error | undefined,
  stderr: string,
): string {
  if (error !== undefined) return error.message;
  const firstLine = stderr.trim().split('\n')[0] ?? '';
  const how = signal === null ? `exited with code ${String(status)}` : `was killed by ${signal}`;
  return firstLine === '' ? how : `${how}: ${firstLine}`;
}

function runSync(command: string, args: readonly string[]): ProbeRun {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: SANDBOX_PROBE_TIMEOUT_MS,
  });
  return {
    ok: result.status === 0,
    stdout: result.stdout ?? '',
    detail: describeRun(result.status, result.signal, result.error, result.stderr ?? ''),
  };
}

function runAsync(command: string, args: readonly string[]): Promise<ProbeRun> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: SANDBOX_PROBE_TIMEOUT_MS,
    });
    let stdout = '';
    let stderr = '';
    let spawnError: Error | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stdout.length < 4096) stdout += chunk;
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk;
    });
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('close', (status, signal) => {
      resolve({
        ok: status === 0,
        stdout,
        detail: describeRun(status, signal, spawnError, stderr),
      });
    });
  });
}

/** What this machine can enforce, probe by probe. */
function* probeSteps(options: ProbeSandboxOptions): ProbeSteps {
  const platform = options.platform ?? process.platform;
  const nodeCommand = options.nodeCommand ?? process.execPath;
  const linuxOnly = (tool: string): MissingTool => ({
    available: false,
    reason: `${tool} needs Linux; this host runs on ${platform}`,
  });

  let prlimit: WorkingPrlimit | MissingTool = linuxOnly('prlimit');
  let networkIsolation: ToolSupport = linuxOnly('unshare');
  if (platform === 'linux') {
    // Setting a limit, not just --version: a seccomp profile may allow the binary but deny prlimit(2).
    const prlimitRun = yield ['prlimit', ['--nofile=256', '--', 'true']];
    const hardRun = yield ['prlimit', ['--nofile', '--raw', '--noheadings', '--output=HARD']];
    const hard = Number.parseInt(hardRun.stdout.trim(), 10);
    prlimit = prlimitRun.ok
      ? {
          available: true,
          prefix: ['prlimit'],
          ...(hardRun.ok && Number.isSafeInteger(hard) ? { openFilesHardLimit: hard } : {}),
        }
      : {
          available: false,
          reason: `prlimit (util-linux) does not work (${prlimitRun.detail}); install util-linux`,
        };

    const asRoot = yield ['unshare', ['-n', '--', 'true']];
    if (asRoot.ok) {
      networkIsolation = { available: true, prefix: ['unshare', '-n'] };
    } else {
      const unprivileged = yield ['unshare', ['-rn', '--', 'true']];
      networkIsolation = unprivileged.ok
        ? { available: true, prefix: ['unshare', '-rn'] }
        : {
            available: false,
            reason:
              `cannot create a network namespace: "unshare -n" ${asRoot.detail}; ` +
              `"unshare -rn" ${unprivileged.detail} (run as root, or enable unprivileged user namespaces)`,
          };
    }
  }

  let nodePermission: NodePermissionSupport = {
    available: false,
    reason: `${nodeCommand} accepts neither --permission nor --experimental-permission`,
  };
  for (const flag of ['--permission', '--experimental-permission'] as const) {
    const works = yield [nodeCommand, [flag, '-e', '0']];
    if (!works.ok) continue;
    const quiet = yield [nodeCommand, ['--disable-warning=ExperimentalWarning', '-e', '0']];
    nodePermission = { available: true, flag, canDisableWarning: quiet.ok };
    break;
  }

  return { platform, prlimit, networkIsolation, nodePermission };
}

const syncCache = new Map<string, SandboxSupport>();

/**
 * Probes what this machine can enforce by running each tool once (`prlimit … true`,
 * `unshare -n true`, then `unshare -rn true`, `node --permission -e 0`, …). Takes a few hundred
 * milliseconds: call it once at startup and pass the result to `buildSandboxedSpawn`.
 *
 * @example
 * const support = await probeSandboxSupport();
 * const plan = buildSandboxedSpawn({ ...input, support });
 */
export async function probeSandboxSupport(
  options: ProbeSandboxOptions = {},
): Promise<SandboxSupport> {
  const steps = probeSteps(options);
  let step = steps.next();
  while (step.done !== true) {
    const [command, args] = step.value;
    step = steps.next(await runAsync(command, args));
  }
  return step.value;
}

/**
 * The same probe, synchronous and cached per platform and Node binary: what
 * `buildSandboxedSpawn` falls back to when it is not given `support`. Blocks the event loop once.
 */
export function probeSandboxSupportSync(options: ProbeSandboxOptions = {}): SandboxSupport {
  const key = `${options.platform ?? process.platform}\n${options.nodeCommand ?? process.execPath}`;
  const cached = syncCache.get(key);
  if (cached !== undefined) return cached;
  const steps = probeSteps(options);
  let step = steps.next();
  while (step.done !== true) {
    const [command, args] = step.value;
    step = steps.next(runSync(command, args));
  }
  syncCache.set(key, step.value);
  return step.value;
}
