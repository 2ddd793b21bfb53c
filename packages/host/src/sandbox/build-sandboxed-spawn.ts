import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { Permissions, Runtime } from '@plugboard/core';
import { reduceEnvironment } from './environment-allow-list.js';
import { nodePermissionGrant } from './node-permission-grant.js';
import {
  formatNodeOptions,
  isNodeCommand,
  nodeFlags,
  type NodePermissionGrant,
} from './node-permission-flags.js';
import {
  DEFAULT_SANDBOX_LIMITS,
  effectiveLimits,
  kernelLimitsFor,
  prlimitOptions,
  type KernelLimits,
  type SandboxLimits,
} from './resource-limits.js';
import { probeSandboxSupportSync, type SandboxSupport } from './sandbox-support.js';

/** What `buildSandboxedSpawn` wraps: one plugin command and what its manifest allows. */
export interface SandboxSpawnInput {
  /** The program: the plugin executable, or the Node binary for a `node` runtime. */
  readonly command: string;
  /** Its arguments (entrypoint, `serve --socket …`). */
  readonly args: readonly string[];
  /** The plugin's own folder: the working directory, and readable by Node plugins. */
  readonly cwd: string;
  /** The plugin's data folder: readable and writable by Node plugins. */
  readonly dataDir: string;
  /**
   * The private folder holding the plugin's unix socket. Node 20 lets a confined plugin listen
   * anywhere, but the SDK then chmods the socket file, which needs write access to this folder.
   */
  readonly socketDir?: string;
  /** The host's environment, reduced to the allow-list (see `reduceEnvironment`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The manifest's `permissions`; absent means nothing beyond the defaults. */
  readonly permissions?: Permissions;
  /** The manifest's `runtime` (or just its type). */
  readonly runtime: Pick<Runtime, 'type'> | Runtime['type'];
  /** Default `support.platform`, else `process.platform`. */
  readonly platform?: NodeJS.Platform;
  /** What this machine can enforce; default: probed once and cached (`probeSandboxSupportSync`). */
  readonly support?: SandboxSupport;
  /** Limits for what the manifest leaves undeclared. Default `DEFAULT_SANDBOX_LIMITS`. */
  readonly defaults?: SandboxLimits;
  /** Decides whether `command` runs Node (for `executable` runtimes). Default: file name or `#!`. */
  readonly isNodeCommand?: (command: string) => boolean;
  /** Resolves symbolic links in allowed paths. Default `fs.realpathSync.native`. */
  readonly realpath?: (path: string) => string;
}

/** What the sandbox enforces for one plugin: keep it to explain the plugin's exit. */
export interface SandboxApplied {
  /** The manifest's runtime type. */
  readonly runtime: Runtime['type'];
  /** True when the command runs Node (a `node` runtime or a `#!…node` executable). */
  readonly node: boolean;
  /** The memory limit in MiB the next two derive from, when one is enforced. */
  readonly memoryMb?: number;
  /** V8 heap limit in MiB (`--max-old-space-size`), Node plugins only. */
  readonly heapMb?: number;
  /** Kernel limits in force (empty without `prlimit`). */
  readonly kernel: KernelLimits;
  /** `isolated`: an empty network namespace; `full`: the host's network. */
  readonly network: 'isolated' | 'full';
  /** Names of the environment variables passed to the plugin. */
  readonly envNames: readonly string[];
  /** Node's permission model grant, when it is on. */
  readonly nodePermission?: NodePermissionGrant;
  /** The working directory. */
  readonly cwd: string;
}

/** A command ready for `child_process.spawn`, and what could not be enforced. */
export interface SandboxedSpawn {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  readonly cwd: string;
  /** Everything the manifest or the defaults asked for that is not enforced, each with why. */
  readonly warnings: readonly string[];
  readonly applied: SandboxApplied;
}

function runtimeType(runtime: SandboxSpawnInput['runtime']): Runtime['type'] {
  return typeof runtime === 'string' ? runtime : runtime.type;
}

/** Whether the plugin may reach the network, and what of the declaration cannot be honoured. */
function networkWanted(permissions: Permissions | undefined): {
  wanted: boolean;
  hosts?: readonly string[];
} {
  const network = permissions?.network;
  if (network === true) return { wanted: true };
  if (Array.isArray(network) && network.length > 0) return { wanted: true, hosts: network };
  return { wanted: false };
}

/**
 * Wraps a plugin command in the sandbox its manifest's `permissions` ask for. Pure apart from
 * reading the command's `#!` line and resolving symlinks (both injectable); what the machine
 * supports comes from `input.support` or a cached probe.
 *
 * - Memory, CPU time, open files: `prlimit --as --cpu --nofile --` (util-linux). Node plugins get
 *   their memory as `--max-old-space-size` plus an RLIMIT_AS backstop with headroom
 *   (`NODE_ADDRESS_SPACE_HEADROOM_MB`), because V8 reserves ~0.7–2 GiB of address space.
 * - Network: none unless declared, via a new network namespace (`unshare -n`, or `-rn`
 *   unprivileged). The plugin's unix socket still works (it is a path), TCP does not, so a
 *   plugin without network cannot use the protocol's TCP fallback.
 * - Environment: `reduceEnvironment` (allow-list plus `permissions.env`).
 * - Working directory: the plugin's folder.
 * - Node plugins: Node's permission model, through `NODE_OPTIONS` so it also covers `#!` scripts
 *   and Node children: read the plugin, data and socket folders plus `filesystem.read`; write the
 *   data and socket folders plus `filesystem.write`; child processes and workers only when the
 *   manifest sets `permissions.child_process` / `permissions.worker` to `true`.
 * - `image` runtimes: only environment and working directory; the container runtime must apply
 *   the rest (warned).
 *
 * @example
 * const plan = buildSandboxedSpawn({
 *   command: '/plugins/aws/1.0.0/aws', args: ['serve', '--socket', sock], cwd: '/plugins/aws/1.0.0',
 *   dataDir: '/var/lib/plugboard/aws', socketDir: dirname(sock), env: process.env,
 *   permissions: manifest.permissions, runtime: manifest.runtime,
 * });
 * for (const warning of plan.warnings) logger.warn({ plugin: 'aws' }, warning);
 * const child = spawn(plan.command, plan.args, { cwd: plan.cwd, env: plan.env });
 */
export function buildSandboxedSpawn(input: SandboxSpawnInput): SandboxedSpawn {
  const support =
    input.support ??
    probeSandboxSupportSync(input.platform === undefined ? {} : { platform: input.platform });
  const runtime = runtimeType(input.runtime);
  const permissions = input.permissions;
  const realpath = input.realpath ?? ((path: string) => realpathSync.native(path));
  const warnings: string[] = [];
  const env = reduceEnvironment(input.env, permissions?.env ?? []);
  const cwd = input.cwd;

  if (runtime === 'image') {
    warnings.push(
      'runtime "image": memory, CPU, open-file, network and filesystem limits are not applied ' +
        'by the host; the container runtime must apply them (e.g. --memory, --cpus, ' +
        '--network none, --read-only)',
    );
    return {
      command: input.command,
      args: [...input.args],
      env,
      cwd,
      warnings,
      applied: {
        runtime,
        node: false,
        kernel: {},
        network: 'full',
        envNames: Object.keys(env),
        cwd,
      },
    };
  }

  const commandPath =
    input.command.includes('/') && !isAbsolute(input.command)
      ? resolve(cwd, input.command)
      : input.command;
  const node = runtime === 'node' || (input.isNodeCommand ?? isNodeCommand)(commandPath);
  const limits = effectiveLimits(permissions, input.defaults ?? DEFAULT_SANDBOX_LIMITS);

  // --- resource limits ---
  let kernel: KernelLimits = {};
  const prefix: string[] = [];
  const prlimit = support.prlimit;
  if (prlimit.available) {
    let wanted = kernelLimitsFor(limits, node);
    const hard = prlimit.openFilesHardLimit;
    if (wanted.openFiles !== undefined && hard !== undefined && wanted.openFiles > hard) {
      warnings.push(
        `open-file limit lowered from ${String(wanted.openFiles)} to ${String(hard)}: ` +
          "the host's own hard limit is lower and cannot be raised without privileges",
      );
      wanted = { ...wanted, openFiles: hard };
    }
    kernel = wanted;
    const options = prlimitOptions(kernel);
    if (options.length > 0) prefix.push(...prlimit.prefix, ...options, '--');
  } else {
    const missing = [
      limits.memoryMb === undefined
        ? undefined
        : node
          ? `address-space backstop for the ${String(limits.memoryMb)} MiB memory limit (the V8 heap limit still applies)`
          : `memory limit of ${String(limits.memoryMb)} MiB`,
      limits.cpuSeconds === undefined
        ? undefined
        : `CPU-time limit of ${String(limits.cpuSeconds)} s`,
      limits.openFiles === undefined ? undefined : `open-file limit of ${String(limits.openFiles)}`,
    ].filter((item): item is string => item !== undefined);
    if (missing.length > 0) warnings.push(`not applied: ${missing.join(', ')}: ${prlimit.reason}`);
  }
  const heapMb = node ? limits.memoryMb : undefined;
  const memoryMb = heapMb ?? kernel.addressSpaceMb;

  // --- network ---
  const network = networkWanted(permissions);
  let isolated = false;
  if (network.hosts !== undefined) {
    warnings.push(
      `network host allow-list not enforced (${network.hosts.join(', ')}): the sandbox can only ` +
        'allow all or no network, so the plugin has full network access',
    );
  } else if (!network.wanted) {
    if (support.networkIsolation.available) {
      prefix.unshift(...support.networkIsolation.prefix, '--');
      isolated = true;
    } else {
      warnings.push(
        `network not isolated although none is declared: ${support.networkIsolation.reason}`,
      );
    }
  }

  // --- filesystem (Node's permission model) ---
  let nodePermission: NodePermissionGrant | undefined;
  const flags: string[] = [];
  if (node) {
    nodePermission = nodePermissionGrant({
      pluginDir: cwd,
      dataDir: input.dataDir,
      ...(input.socketDir === undefined ? {} : { socketDir: input.socketDir }),
      permissions,
      home: env['HOME'] ?? homedir(),
      realpath,
    });
    if (support.nodePermission.available) {
      flags.push(
        ...nodeFlags({
          ...(heapMb === undefined ? {} : { heapMb }),
          permission: {
            ...nodePermission,
            flag: support.nodePermission.flag,
            canDisableWarning: support.nodePermission.canDisableWarning,
          },
        }),
      );
      if (nodePermission.childProcess) {
        warnings.push(
          'child_process is declared: a child process is not confined by Node’s permission ' +
            'model unless it is Node itself',
        );
      }
    } else {
      flags.push(...nodeFlags(heapMb === undefined ? {} : { heapMb }));
      warnings.push(`filesystem not confined: ${support.nodePermission.reason}`);
      nodePermission = undefined;
    }
    if (flags.length > 0) {
      // A declared NODE_OPTIONS (kept by reduceEnvironment) goes first so the sandbox's flags win.
      const inherited = env['NODE_OPTIONS'];
      const ours = formatNodeOptions(flags);
      env['NODE_OPTIONS'] =
        inherited === undefined || inherited === '' ? ours : `${inherited} ${ours}`;
    }
  } else {
    warnings.push(
      'filesystem not confined: an executable plugin can read and write whatever the host user ' +
        'can (only Node plugins run under a permission model)',
    );
  }

  const [command, ...wrapperArgs] = [...prefix, input.command];
  return {
    command: command ?? input.command,
    args: [...wrapperArgs, ...input.args],
    env,
    cwd,
    warnings,
    applied: {
      runtime,
      node,
      ...(memoryMb === undefined ? {} : { memoryMb }),
      ...(heapMb === undefined ? {} : { heapMb }),
      kernel,
      network: isolated ? 'isolated' : 'full',
      envNames: Object.keys(env),
      ...(nodePermission === undefined ? {} : { nodePermission }),
      cwd,
    },
  };
}
