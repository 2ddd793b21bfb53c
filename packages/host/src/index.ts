/**
 * @plugboard/host — the plugin manager: discovery, capabilities, typed lookup, supervisor, log
 * forwarding. Everything exported here is public API.
 */
export { PluginHost } from './plugin-host.js';
export type { CallTarget } from './plugin-host.js';
export type { PluginInfo } from './plugin-info.js';
export type { PluginHostOptions } from './plugin-host-options.js';
export type { CapabilityHandle } from './capability-handle.js';
export type { CallOptions } from './supervisor/call-options.js';

// --- discovery ---
export { discoverPlugins, DEFAULT_DISCOVERY_CONCURRENCY } from './discovery/discover-plugins.js';
export type { DiscoverOptions } from './discovery/discover-plugins.js';
export { pluginId } from './discovery/discovered-plugin.js';
export type {
  DiscoveredPlugin,
  DiscoveryProblem,
  DiscoveryResult,
  PluginSource,
} from './discovery/discovered-plugin.js';
export {
  findPluginCandidates,
  MANIFEST_FILE_NAMES,
  DEFAULT_MAX_DISCOVERY_DEPTH,
} from './discovery/find-plugin-candidates.js';
export type { PluginCandidate } from './discovery/find-plugin-candidates.js';
export { DEFAULT_HOST_API_VERSION, requirementProblem } from './discovery/plugin-requirements.js';
export type { PluginLaunch } from './plugin-launch.js';

// --- capabilities ---
export {
  CapabilitiesCache,
  CAPABILITIES_CACHE_FILE,
  fingerprintExecutable,
} from './capabilities/capabilities-cache.js';
export type {
  CapabilitiesCacheOptions,
  ExecutableFingerprint,
} from './capabilities/capabilities-cache.js';
export {
  readCapabilitiesOutput,
  listCapabilitySchemaProblems,
} from './capabilities/plugin-capabilities.js';
export type {
  PluginCapabilities,
  ReadCapabilitiesOptions,
} from './capabilities/plugin-capabilities.js';
export { queryCapabilities } from './capabilities/query-capabilities.js';
export type { QueryCapabilitiesOptions } from './capabilities/query-capabilities.js';
export {
  runCapabilitiesCommand,
  DEFAULT_MAX_CAPABILITIES_BYTES,
} from './capabilities/run-capabilities-command.js';
export type { RunCapabilitiesOptions } from './capabilities/run-capabilities-command.js';

// --- registry ---
export { CapabilityRegistry } from './registry/capability-registry.js';
export type {
  LookupOptions,
  Registration,
  PluginRegistration,
  InProcessRegistration,
  CapabilityConflict,
} from './registry/capability-registry.js';
export type {
  InProcessHandler,
  InProcessHandlers,
  InProcessCallContext,
} from './registry/in-process-handlers.js';
export { InputValidator } from './registry/input-validator.js';

// --- supervisor ---
export { PluginSupervisor } from './supervisor/plugin-supervisor.js';
export type {
  PluginState,
  SupervisorOptions,
  SupervisorStatus,
} from './supervisor/plugin-supervisor.js';
export { CrashTracker, DEFAULT_CRASH_POLICY } from './supervisor/crash-tracker.js';
export type { CrashPolicy } from './supervisor/crash-tracker.js';
export { createSocketDirectory } from './supervisor/socket-directory.js';
export type { SocketDirectory } from './supervisor/socket-directory.js';
export {
  DEFAULT_MAX_SOCKETS_PER_PLUGIN,
  DEFAULT_MAX_RESPONSE_BYTES,
} from './supervisor/plugin-http-client.js';
export { plainSpawner } from './spawner.js';
export type { PluginSpawner } from './spawner.js';

// --- logs ---
export { SILENT_LOGGER } from './logs/host-logger.js';
export type { HostLogger, LogLevel, LogMethod, LogFields } from './logs/host-logger.js';
export { LineRingBuffer, DEFAULT_STDERR_TAIL_LINES } from './logs/line-ring-buffer.js';
export { StderrLogForwarder, DEFAULT_MAX_LOG_LINE_LENGTH } from './logs/stderr-log-forwarder.js';
export type { StderrLogForwarderOptions } from './logs/stderr-log-forwarder.js';
export { parseLogLine } from './logs/parse-log-line.js';
export type { ParsedLogLine } from './logs/parse-log-line.js';

// --- sandbox (src/sandbox) ---
export {
  buildSandboxedSpawn,
  sandboxedSpawner,
  probeSandboxSupport,
  probeSandboxSupportSync,
  SANDBOX_PROBE_TIMEOUT_MS,
  reduceEnvironment,
  BASE_ENV_ALLOW_LIST,
  PLUGBOARD_ENV_PREFIX,
  DEFAULT_SANDBOX_LIMITS,
  DEFAULT_OPEN_FILES,
  CPU_KILL_GRACE_SECONDS,
  NODE_ADDRESS_SPACE_HEADROOM_MB,
  effectiveLimits,
  kernelLimitsFor,
  prlimitOptions,
  nodeFlags,
  formatNodeOptions,
  isNodeCommand,
  explainExit,
  classifyExit,
} from './sandbox/index.js';
export type {
  SandboxSpawnInput,
  SandboxedSpawn,
  SandboxApplied,
  SpawnFunction,
  SandboxedSpawnerOptions,
  SandboxSupport,
  ToolSupport,
  WorkingTool,
  WorkingPrlimit,
  MissingTool,
  NodePermissionSupport,
  ProbeSandboxOptions,
  SandboxLimits,
  KernelLimits,
  NodePermissionGrant,
  NodeFlagOptions,
  ExitKind,
  ExitExplanation,
  ExitContext,
} from './sandbox/index.js';
export { PluginSpawners, DATA_DIR_ENV_VAR } from './sandbox-integration.js';
export type { PluginSpawnSetup } from './sandbox-integration.js';

// --- watch (src/watch) ---
export {
  watchPluginRoots,
  DEFAULT_WATCH_DEBOUNCE_MS,
  DEFAULT_MISSING_ROOT_POLL_MS,
  diffPluginSnapshots,
  hasPluginChanges,
  takePluginSnapshot,
  scanPluginRoots,
  MAX_FINGERPRINT_FILES,
} from './watch/index.js';
export type {
  WatchPluginRootsOptions,
  PluginRootsWatcher,
  PluginEntry,
  PluginSnapshot,
  PluginChange,
  PluginChanges,
  ScannedRoots,
} from './watch/index.js';
