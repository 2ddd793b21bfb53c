import { watch, type FSWatcher } from 'node:fs';

/** Quiet time after the last file event before a reload, in milliseconds. */
export const DEFAULT_WATCH_DEBOUNCE_MS = 250;

/**
 * Calls `onChange` once things have been quiet for `debounceMs` after any change in the watched
 * folders. Each folder is watched on its own (`fs.watch` without `recursive`, which is reliable on
 * every platform Node supports); the caller re-syncs the set after each reload, so new subfolders
 * are picked up. Watchers never keep the process alive.
 */
export class FolderWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly onChange: () => void,
    private readonly debounceMs = DEFAULT_WATCH_DEBOUNCE_MS,
  ) {}

  /** Watches exactly `folders` from now on. */
  watch(folders: readonly string[]): void {
    if (this.closed) return;
    const wanted = new Set(folders);
    for (const [folder, watcher] of this.watchers) {
      if (!wanted.has(folder)) {
        watcher.close();
        this.watchers.delete(folder);
      }
    }
    for (const folder of wanted) {
      if (this.watchers.has(folder)) continue;
      try {
        const watcher = watch(folder, { persistent: false }, () => this.changed());
        // A folder that disappears errors out; the reload it triggers re-syncs the set.
        watcher.on('error', () => {
          watcher.close();
          this.watchers.delete(folder);
          this.changed();
        });
        this.watchers.set(folder, watcher);
      } catch {
        // Gone between the scan and now: the next reload will not list it.
      }
    }
  }

  /** Stops every watcher and any pending call. */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private changed(): void {
    if (this.closed) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.closed) this.onChange();
    }, this.debounceMs);
    this.timer.unref();
  }
}
