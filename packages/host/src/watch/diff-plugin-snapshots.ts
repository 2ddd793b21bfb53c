/** One plugin on disk as the watcher sees it: a manifest folder or a bare executable. */
export interface PluginEntry {
  /** The root it was found under, as given to the watcher. */
  readonly root: string;
  /** Its path relative to the root, `/`-separated (`aws/1.2.0`, `bin/ocm-plugin`). */
  readonly path: string;
  /** `folder`: a folder holding a manifest; `executable`: an executable file with no extension. */
  readonly kind: 'folder' | 'executable';
  /** Changes whenever any of its files is added, removed or modified. */
  readonly fingerprint: string;
}

/** Every plugin found under the watched roots at one moment. */
export type PluginSnapshot = readonly PluginEntry[];

/** A plugin that appeared, changed or disappeared between two snapshots. */
export interface PluginChange {
  readonly root: string;
  readonly path: string;
  readonly kind: 'folder' | 'executable';
}

/** What differs between two snapshots; each list sorted by root, then path. */
export interface PluginChanges {
  readonly added: readonly PluginChange[];
  readonly changed: readonly PluginChange[];
  readonly removed: readonly PluginChange[];
}

function keyOf(entry: PluginChange): string {
  return `${entry.root}\u0000${entry.path}`;
}

function changeOf(entry: PluginEntry): PluginChange {
  return { root: entry.root, path: entry.path, kind: entry.kind };
}

function byLocation(a: PluginChange, b: PluginChange): number {
  return a.root === b.root ? a.path.localeCompare(b.path) : a.root.localeCompare(b.root);
}

/**
 * The plugins added, changed (different fingerprint or kind) and removed from `before` to
 * `after`. Pure.
 *
 * @example
 * diffPluginSnapshots([], [{ root: '/p', path: 'aws/1.0.0', kind: 'folder', fingerprint: 'x' }])
 * // → { added: [{ root: '/p', path: 'aws/1.0.0', kind: 'folder' }], changed: [], removed: [] }
 */
export function diffPluginSnapshots(before: PluginSnapshot, after: PluginSnapshot): PluginChanges {
  const previous = new Map(before.map((entry) => [keyOf(entry), entry]));
  const added: PluginChange[] = [];
  const changed: PluginChange[] = [];
  for (const entry of after) {
    const key = keyOf(entry);
    const old = previous.get(key);
    previous.delete(key);
    if (old === undefined) added.push(changeOf(entry));
    else if (old.fingerprint !== entry.fingerprint || old.kind !== entry.kind) {
      changed.push(changeOf(entry));
    }
  }
  const removed = [...previous.values()].map(changeOf);
  return {
    added: added.sort(byLocation),
    changed: changed.sort(byLocation),
    removed: removed.sort(byLocation),
  };
}

/** True when `changes` lists anything. */
export function hasPluginChanges(changes: PluginChanges): boolean {
  return changes.added.length + changes.changed.length + changes.removed.length > 0;
}
