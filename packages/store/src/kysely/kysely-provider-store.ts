import { PlugboardError, isPlugboardError } from '@plugboard/core';
import { sql, type Kysely } from 'kysely';
import type { MetadataBackendName } from '../metadata/metadata-store.js';
import type {
  CollectionRunRecord,
  CreateRunInput,
  RunHeartbeat,
  RunOutcome,
  RunPage,
  RunProgress,
  RunQuery,
} from '../providers/collection-run-record.js';
import type { ProviderStore } from '../providers/provider-store.js';
import type {
  PluginUsage,
  ProviderInput,
  ProviderPage,
  ProviderPatch,
  ProviderQuery,
  ProviderRecord,
} from '../providers/provider-record.js';
import type {
  IngestCounts,
  IngestTarget,
  ResourceDriftRecord,
  ResourceInput,
  ResourcePage,
  ResourceQuery,
  ResourceRecord,
} from '../providers/resource-record.js';
import { SILENT_STORE_LOGGER, type StoreLogger } from '../store-logger.js';
import type { ColumnTypes } from './column-types.js';
import {
  cancelRunRow,
  claimPendingRun,
  failStale,
  finishHeldRun,
  heartbeat,
  insertRun,
  selectActiveRun,
  selectRun,
  selectRunPage,
} from './collection-run-queries.js';
import type { DriverErrorKind } from './metadata-backend.js';
import { runProviderMigrations } from './migrations/provider-migrations.js';
import {
  countByPlugin,
  deleteProviderRow,
  insertProvider,
  patchProvider,
  selectProvider,
  selectProviderById,
  selectProviderPage,
  selectProvidersOfPlugin,
} from './provider-queries.js';
import type { ProviderTables } from './provider-tables.js';
import type { ProviderWriteContext } from './provider-write-context.js';
import { prepareBatch } from './resource-content.js';
import { providerGone, softDeleteUnseen, type ResourceBatchWriter } from './resource-ingest.js';
import {
  DEFAULT_DRIFT_LIMIT,
  selectDrift,
  selectResource,
  selectResourcePage,
  selectResourcesByEmsRef,
} from './resource-queries.js';
import { translateDriverError, type ConstraintErrors } from './translate-driver-error.js';

/** Everything backend-specific the provider store needs. */
export interface ProviderBackend {
  readonly name: MetadataBackendName;
  readonly db: Kysely<ProviderTables>;
  readonly columnTypes: ColumnTypes;
  /** The schema holding the tables, where the database has schemas. */
  readonly schema: string | undefined;
  /** The collection ingest hot path, written for this backend. */
  readonly resourceWriter: ResourceBatchWriter;
  classifyError(error: unknown): DriverErrorKind;
}

/** Options of `openProviderStore`. */
export interface ProviderStoreOptions {
  readonly logger?: StoreLogger | undefined;
  /** The clock; tests pass one that advances predictably. */
  readonly now?: (() => Date) | undefined;
}

/** `ProviderStore` over Kysely: every query is written once, in the `*-queries.ts` files. */
export class KyselyProviderStore implements ProviderStore {
  readonly backend: MetadataBackendName;
  readonly #parts: ProviderBackend;
  readonly #logger: StoreLogger;
  readonly #clock: () => Date;
  #closed = false;

  private constructor(parts: ProviderBackend, options: ProviderStoreOptions) {
    this.backend = parts.name;
    this.#parts = parts;
    this.#logger = options.logger ?? SILENT_STORE_LOGGER;
    this.#clock = options.now ?? (() => new Date());
  }

  /** Applies pending provider migrations; closes the database if that fails. */
  static async open(
    parts: ProviderBackend,
    options: ProviderStoreOptions = {},
  ): Promise<KyselyProviderStore> {
    const store = new KyselyProviderStore(parts, options);
    try {
      const applied = await store.#run('migrate', () =>
        runProviderMigrations(
          parts.db as Kysely<unknown>,
          parts.columnTypes,
          parts.schema,
          parts.name,
        ),
      );
      if (applied.length > 0) store.#logger.info({ applied }, 'provider store migrated');
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#parts.db.destroy();
    } catch (error) {
      this.#logger.warn({ err: error }, 'provider store: closing the database failed');
    }
  }

  /** Throws `UNAVAILABLE` unless the database answers a trivial query. */
  async ping(): Promise<void> {
    await this.#run('ping', () => sql`select 1`.execute(this.#parts.db));
  }

  // --- providers ---

  async createProvider(domainId: string, input: ProviderInput): Promise<ProviderRecord> {
    return this.#write('create provider', (c) => insertProvider(c, domainId, input), {
      onUniqueViolation: () =>
        new PlugboardError(
          'ALREADY_EXISTS',
          `domain "${domainId}" already has a provider named "${input.name}"`,
          { details: { domainId, name: input.name } },
        ),
    });
  }

  async getProvider(domainId: string, id: string): Promise<ProviderRecord | undefined> {
    return this.#run('get provider', () => selectProvider(this.#parts.db, domainId, id));
  }

  async findProviderById(id: string): Promise<ProviderRecord | undefined> {
    return this.#run('get provider', () => selectProviderById(this.#parts.db, id));
  }

  async listProviders(domainId: string, query: ProviderQuery = {}): Promise<ProviderPage> {
    return this.#run('list providers', () => selectProviderPage(this.#parts.db, domainId, query));
  }

  async listProvidersOfPlugin(
    vendor: string,
    providerType: string,
    domainId?: string,
  ): Promise<ProviderRecord[]> {
    return this.#run('list providers of a plugin', () =>
      selectProvidersOfPlugin(this.#parts.db, vendor, providerType, domainId),
    );
  }

  async countProvidersByPlugin(domainId?: string): Promise<PluginUsage[]> {
    return this.#run('count providers', () => countByPlugin(this.#parts.db, domainId));
  }

  async updateProvider(
    domainId: string,
    id: string,
    patch: ProviderPatch,
  ): Promise<ProviderRecord> {
    return this.#write('update provider', (c) => patchProvider(c, domainId, id, patch), {
      onUniqueViolation: () =>
        new PlugboardError(
          'ALREADY_EXISTS',
          `domain "${domainId}" already has a provider named "${patch.name ?? ''}"`,
          { details: { domainId, name: patch.name } },
        ),
    });
  }

  async deleteProvider(domainId: string, id: string): Promise<void> {
    await this.#write('delete provider', (c) => deleteProviderRow(c, domainId, id));
  }

  // --- runs ---

  async createRun(
    domainId: string,
    providerId: string,
    input: CreateRunInput = {},
  ): Promise<CollectionRunRecord> {
    try {
      return await this.#write(
        'queue collection run',
        (c) => insertRun(c, domainId, providerId, input),
        {
          onUniqueViolation: () =>
            new PlugboardError(
              'CONFLICT',
              `provider "${providerId}" already has a pending or running collection run`,
              { details: { providerId } },
            ),
        },
      );
    } catch (error) {
      if (!isPlugboardError(error, 'CONFLICT')) throw error;
      // The partial unique index refused a second active run; name the one that exists.
      const active = await this.#run('find active run', () =>
        selectActiveRun(this.#parts.db, providerId),
      );
      if (active === undefined) throw error;
      throw new PlugboardError(
        'CONFLICT',
        `provider "${providerId}" already has a ${active.state} collection run "${active.id}"`,
        { details: { providerId, runId: active.id, state: active.state } },
      );
    }
  }

  async getRun(domainId: string, id: string): Promise<CollectionRunRecord | undefined> {
    return this.#run('get collection run', () => selectRun(this.#parts.db, domainId, id));
  }

  async listRuns(domainId: string, query: RunQuery = {}): Promise<RunPage> {
    return this.#run('list collection runs', () => selectRunPage(this.#parts.db, domainId, query));
  }

  async claimRun(workerId: string): Promise<CollectionRunRecord | undefined> {
    return this.#run('claim collection run', () =>
      claimPendingRun(this.#parts.db, this.backend, workerId, this.#now()),
    );
  }

  async heartbeatRun(id: string, workerId: string, progress: RunProgress): Promise<RunHeartbeat> {
    return this.#run('record run progress', () =>
      heartbeat(this.#parts.db, id, workerId, progress, this.#now()),
    );
  }

  async finishRun(
    id: string,
    workerId: string,
    outcome: RunOutcome,
  ): Promise<CollectionRunRecord | undefined> {
    return this.#run('finish collection run', () =>
      finishHeldRun(this.#parts.db, id, workerId, outcome, this.#now()),
    );
  }

  async cancelRun(domainId: string, id: string): Promise<CollectionRunRecord> {
    return this.#write('cancel collection run', (c) => cancelRunRow(c, domainId, id));
  }

  async failStaleRuns(staleBefore: Date, message: string): Promise<CollectionRunRecord[]> {
    return this.#run('fail stale runs', () =>
      failStale(this.#parts.db, staleBefore.toISOString(), message, this.#now()),
    );
  }

  // --- resources ---

  async ingestResources(
    target: IngestTarget,
    resources: readonly ResourceInput[],
  ): Promise<IngestCounts> {
    const batch = prepareBatch(resources);
    if (batch.length === 0) return { created: 0, updated: 0, unchanged: 0 };
    return this.#run(
      'store resources',
      () => this.#parts.resourceWriter.write(target, batch, this.#now()),
      { onForeignKeyViolation: () => providerGone(target.providerId) },
    );
  }

  async removeUnseenResources(
    target: IngestTarget,
    resourceTypes?: readonly string[],
  ): Promise<number> {
    const types =
      resourceTypes !== undefined && resourceTypes.length > 0 ? resourceTypes : undefined;
    return this.#write('remove unseen resources', (c) => softDeleteUnseen(c, target, types));
  }

  async getResource(domainId: string, id: string): Promise<ResourceRecord | undefined> {
    return this.#run('get resource', () => selectResource(this.#parts.db, domainId, id));
  }

  async findResourcesByEmsRef(
    domainId: string,
    providerId: string,
    emsRefs: readonly string[],
  ): Promise<ResourceRecord[]> {
    return this.#run('find resources', () =>
      selectResourcesByEmsRef(this.#parts.db, domainId, providerId, emsRefs),
    );
  }

  async listResources(domainId: string, query: ResourceQuery = {}): Promise<ResourcePage> {
    return this.#run('list resources', () => selectResourcePage(this.#parts.db, domainId, query));
  }

  async listResourceDrift(
    domainId: string,
    resourceId: string,
    limit = DEFAULT_DRIFT_LIMIT,
  ): Promise<ResourceDriftRecord[]> {
    return this.#run('list resource drift', () =>
      selectDrift(this.#parts.db, domainId, resourceId, limit),
    );
  }

  // --- plumbing ---

  #now(): string {
    return this.#clock().toISOString();
  }

  async #run<T>(
    operation: string,
    work: () => Promise<T>,
    constraints?: ConstraintErrors,
  ): Promise<T> {
    if (this.#closed) {
      throw new PlugboardError('UNAVAILABLE', `provider store: ${operation} after close()`, {
        details: { operation },
      });
    }
    try {
      return await work();
    } catch (error) {
      const kind: DriverErrorKind = isPlugboardError(error)
        ? 'unknown'
        : this.#parts.classifyError(error);
      throw translateDriverError(error, kind, operation, constraints);
    }
  }

  async #write<T>(
    operation: string,
    work: (context: ProviderWriteContext) => Promise<T>,
    constraints?: ConstraintErrors,
  ): Promise<T> {
    return this.#run(
      operation,
      () => this.#parts.db.transaction().execute((trx) => work({ trx, now: this.#now() })),
      constraints,
    );
  }
}
