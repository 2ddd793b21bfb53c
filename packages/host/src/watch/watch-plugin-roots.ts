import { existsSync, watch, type FSWatcher } from 'node:fs';
import { DEFAULT_MAX_DISCOVERY_DEPTH } from '../discovery/find-plugin-candidates.js';
import {
  diffPluginSnapshots,
  hasPluginChanges,
  type PluginChanges,
  type PluginSnapshot,
} from './diff-plugin-snapshots.js';
import { scanPluginRoots } from './take-plugin-snapshot.js';

/** Quiet time after the last file event before the roots are rescanned. */
export const DEFAULT_WATCH_DEBOUNCE_MS = 300;

/** How often roots that do not exist yet are checked for. */
export const DEFAULT_MISSING_ROOT_POLL_MS = 1_000;

/** Options of `watchPluginRoots`. */
export interface WatchPluginRootsOptions {
  /** Called once per settled burst of file events that changed the set of plugins. */
  readonly onChange: (changes: PluginChanges) => void;
  /** Default `DEFAULT_WATCH_DEBOUNCE_MS`. */
  readonly debounceMs?: number;
  /** Aborting stops the watcher (same as `close()`). */
  readonly signal?: AbortSignal;
  /** Default `DEFAULT_MISSING_ROOT_POLL_MS`. */
  readonly missingRootPollMs?: number;
  /** How deep below a root plugins are looked for. Default: discovery's depth. */
  readonly maxDepth?: number;
  /** Receives failures of a rescan or of `onChange`; the watcher keeps going. Default: ignored. */
  readonly onError?: (error: unknown) => void;
}

/** A running watch over plugin roots. */
export interface PluginRootsWatcher {
  /** The plugins as of the last scan. */
  snapshot(): PluginSnapshot;
  /** Stops watching; pending events are dropped. Idempotent. */
  close(): void;
}

/**
 * Watches plugin roots and reports plugin folders and executables added, changed or removed,
 * relative to the roots, once per debounced burst of file events. Resolves once the first scan is
 * done and every folder is watched, so changes made after it are reported.
 *
 * It watches each folder itself (non-recursive `fs.watch`) and re-arms after every rescan, rather
 * than `fs.watch(root, {recursive: true})`: on Linux, Node 20's recursive mode is implemented in
 * JavaScript, descends into `node_modules`, and polls every file with `fs.watchFile`. A root that
 * does not exist yet is polled for and watched once it appears; one that disappears is reported
 * as all its plugins removed.
 *
 * @example
 * const controller = new AbortController();
 * await watchPluginRoots(['/opt/plugins'], {
 *   signal: controller.signal,
 *   onChange: ({ added, changed, removed }) => host.reload({ added, changed, removed }),
 * });
 */
export async function watchPluginRoots(
  roots: readonly string[],
  options: WatchPluginRootsOptions,
): Promise<PluginRootsWatcher> {
  const debounceMs = options.debounceMs ?? DEFAULT_WATCH_DEBOUNCE_MS;
  const pollMs = options.missingRootPollMs ?? DEFAULT_MISSING_ROOT_POLL_MS;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DISCOVERY_DEPTH;
  const reportError = (error: unknown): void => {
    try {
      options.onError?.(error);
    } catch {
      // an error handler that throws must not stop the watcher
    }
  };

  const watchers = new Map<string, FSWatcher>();
  let current: PluginSnapshot = [];
  let missing: readonly string[] = [];
  let closed = false;
  let scanning = false;
  let rescanWanted = false;
  let debounceTimer: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;

  const schedule = (): void => {
    if (closed) return;
    if (debounceTimer !== undefined) clearTimeout(debounceTimer);
    debounceTimer = setTimeout(() => {
      debounceTimer = undefined;
      void rescan();
    }, debounceMs);
  };

  const unwatch = (folder: string): void => {
    watchers.get(folder)?.close();
    watchers.delete(folder);
  };

  const arm = (folders: readonly string[], missingRoots: readonly string[]): void => {
    const wanted = new Set(folders);
    for (const folder of [...watchers.keys()]) if (!wanted.has(folder)) unwatch(folder);
    for (const folder of wanted) {
      if (watchers.has(folder)) continue;
      try {
        const watcher = watch(folder, { persistent: true }, schedule);
        // A watched folder that is deleted reports an error on some kernels: rescan instead.
        watcher.on('error', () => {
          unwatch(folder);
          schedule();
        });
        watchers.set(folder, watcher);
      } catch {
        schedule(); // it vanished between the scan and now
      }
    }
    missing = missingRoots;
    if (missingRoots.length > 0 && pollTimer === undefined) {
      // Only an existence check per tick; the full rescan runs once a root appears.
      pollTimer = setInterval(() => {
        if (!missing.some((root) => existsSync(root))) return;
        // Stop polling (the rescan re-arms it if a root is still missing) and rescan now: a
        // debounce restarted by every tick would never fire when pollMs < debounceMs.
        clearInterval(pollTimer);
        pollTimer = undefined;
        void rescan();
      }, pollMs);
    } else if (missingRoots.length === 0 && pollTimer !== undefined) {
      clearInterval(pollTimer);
      pollTimer = undefined;
    }
  };

  const rescan = async (): Promise<void> => {
    if (closed) return;
    if (scanning) {
      rescanWanted = true;
      return;
    }
    scanning = true;
    try {
      const scanned = await scanPluginRoots(roots, maxDepth);
      if (closed) return;
      const changes = diffPluginSnapshots(current, scanned.snapshot);
      current = scanned.snapshot;
      arm(scanned.folders, scanned.missingRoots);
      if (hasPluginChanges(changes)) {
        try {
          options.onChange(changes);
        } catch (error) {
          reportError(error);
        }
      }
    } catch (error) {
      reportError(error);
    } finally {
      scanning = false;
    }
    if (rescanWanted) {
      rescanWanted = false;
      schedule();
    }
  };

  const close = (): void => {
    if (closed) return;
    closed = true;
    if (debounceTimer !== undefined) clearTimeout(debounceTimer);
    if (pollTimer !== undefined) clearInterval(pollTimer);
    for (const folder of [...watchers.keys()]) unwatch(folder);
    options.signal?.removeEventListener('abort', close);
  };

  if (options.signal?.aborted === true) closed = true;
  options.signal?.addEventListener('abort', close, { once: true });

  if (!closed) {
    const initial = await scanPluginRoots(roots, maxDepth);
    current = initial.snapshot;
    if (!closed) arm(initial.folders, initial.missingRoots);
  }
  return { snapshot: () => current, close };
}
