/**
 * The plugin sandbox: resource limits (prlimit), network isolation (unshare), an environment
 * allow-list, and Node's permission model for Node plugins. The package index re-exports these.
 */
export {
  buildSandboxedSpawn,
  type SandboxSpawnInput,
  type SandboxedSpawn,
  type SandboxApplied,
} from './build-sandboxed-spawn.js';
export {
  sandboxedSpawner,
  type SpawnFunction,
  type SandboxedSpawnerOptions,
} from './sandboxed-spawner.js';
export {
  probeSandboxSupport,
  probeSandboxSupportSync,
  SANDBOX_PROBE_TIMEOUT_MS,
  type SandboxSupport,
  type ToolSupport,
  type WorkingTool,
  type WorkingPrlimit,
  type MissingTool,
  type NodePermissionSupport,
  type ProbeSandboxOptions,
} from './sandbox-support.js';
export {
  reduceEnvironment,
  BASE_ENV_ALLOW_LIST,
  PLUGBOARD_ENV_PREFIX,
} from './environment-allow-list.js';
export {
  DEFAULT_SANDBOX_LIMITS,
  DEFAULT_OPEN_FILES,
  CPU_KILL_GRACE_SECONDS,
  NODE_ADDRESS_SPACE_HEADROOM_MB,
  effectiveLimits,
  kernelLimitsFor,
  prlimitOptions,
  type SandboxLimits,
  type KernelLimits,
} from './resource-limits.js';
export {
  nodeFlags,
  formatNodeOptions,
  isNodeCommand,
  type NodePermissionGrant,
  type NodeFlagOptions,
} from './node-permission-flags.js';
export { nodePermissionGrant, type NodeGrantInput } from './node-permission-grant.js';
export {
  explainExit,
  classifyExit,
  type ExitKind,
  type ExitExplanation,
  type ExitContext,
} from './explain-exit.js';
