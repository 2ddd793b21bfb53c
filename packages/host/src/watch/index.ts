/**
 * Watching plugin roots: debounced reports of plugin folders and executables added, changed or
 * removed. The package index re-exports these.
 */
export {
  watchPluginRoots,
  DEFAULT_WATCH_DEBOUNCE_MS,
  DEFAULT_MISSING_ROOT_POLL_MS,
  type WatchPluginRootsOptions,
  type PluginRootsWatcher,
} from './watch-plugin-roots.js';
export {
  diffPluginSnapshots,
  hasPluginChanges,
  type PluginEntry,
  type PluginSnapshot,
  type PluginChange,
  type PluginChanges,
} from './diff-plugin-snapshots.js';
export {
  takePluginSnapshot,
  scanPluginRoots,
  MAX_FINGERPRINT_FILES,
  type ScannedRoots,
} from './take-plugin-snapshot.js';
