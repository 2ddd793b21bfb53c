import { loadManagedCatalog } from './managed-loader.js';
import { FolderWatcher } from './folder-watcher.js';
import { ManagedSource, type ManagedSourceOptions } from './managed-source.js';

/** The logging a repository does: pino's `(fields, message)` form. */
export interface RepositoryLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** What a reload of the MANAGED folders served and what it could not. */
export interface ManagedReload {
  /** Plugins served after the reload. */
  readonly managed: number;
  /** One line per file or folder problem, naming its path. */
  readonly problems: readonly string[];
}

/** Options of `ManagedRepository.open`. */
export interface ManagedRepositoryOptions extends ManagedSourceOptions {
  /** Folders of manifests, in priority order (the first defining a name wins). */
  readonly folders: readonly string[];
  /** Reload when files change (default true). */
  readonly watch?: boolean;
  /** Quiet time after a file event before reloading, in milliseconds. */
  readonly debounceMs?: number;
  readonly logger?: RepositoryLogger | undefined;
}

/**
 * The MANAGED folders and their lifecycle: the first load, reloads on demand
 * (`POST /api/v1/refresh`) and on file changes, and shutdown. Reloads never overlap; calls made
 * while one is waiting share it.
 *
 * @example
 * const managed = await ManagedRepository.open({ folders: ['./catalog'] });
 * const sources = [managed.source];
 * await managed.close();
 */
export class ManagedRepository {
  readonly source: ManagedSource;
  private readonly folders: readonly string[];
  private readonly logger: RepositoryLogger | undefined;
  private readonly watcher: FolderWatcher | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private waiting: Promise<ManagedReload> | undefined;

  private constructor(options: ManagedRepositoryOptions) {
    this.source = new ManagedSource(options);
    this.folders = [...options.folders];
    this.logger = options.logger;
    this.watcher =
      options.watch === false
        ? undefined
        : new FolderWatcher(() => {
            this.reload().catch((error: unknown) =>
              this.logger?.error({ err: error }, 'reloading the MANAGED folders failed'),
            );
          }, options.debounceMs);
  }

  /** Loads the folders once and starts watching them. */
  static async open(options: ManagedRepositoryOptions): Promise<ManagedRepository> {
    const repository = new ManagedRepository(options);
    await repository.reload();
    return repository;
  }

  /** Re-reads every folder; the previous good entry of a file that became invalid is kept. */
  reload(): Promise<ManagedReload> {
    if (this.waiting !== undefined) return this.waiting;
    const run = this.tail.then(() => {
      this.waiting = undefined;
      return this.load();
    });
    this.waiting = run;
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Stops watching. The served catalog stays readable. */
  async close(): Promise<void> {
    this.watcher?.close();
    await this.tail;
  }

  private async load(): Promise<ManagedReload> {
    const catalog = await loadManagedCatalog(this.folders, this.source.current, this.source.ref);
    this.source.replace(catalog);
    this.watcher?.watch(catalog.directories);
    for (const problem of catalog.problems) {
      this.logger?.warn({ repository: 'MANAGED' }, problem);
    }
    this.logger?.info(
      { repository: 'MANAGED', plugins: catalog.byName.size, problems: catalog.problems.length },
      'MANAGED folders loaded',
    );
    return { managed: catalog.byName.size, problems: catalog.problems };
  }
}
