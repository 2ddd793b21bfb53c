import type { MetadataBackendName } from '../metadata/metadata-store.js';
import type {
  CollectionRunRecord,
  CreateRunInput,
  RunHeartbeat,
  RunOutcome,
  RunPage,
  RunProgress,
  RunQuery,
} from './collection-run-record.js';
import type {
  PluginUsage,
  ProviderInput,
  ProviderPage,
  ProviderPatch,
  ProviderQuery,
  ProviderRecord,
} from './provider-record.js';
import type {
  IngestCounts,
  IngestTarget,
  ResourceDriftRecord,
  ResourceInput,
  ResourcePage,
  ResourceQuery,
  ResourceRecord,
} from './resource-record.js';

/** Default and largest page sizes of provider, run and resource lists. */
export const DEFAULT_PROVIDER_PAGE_LIMIT = 50;
/** Largest page a provider, run or resource list returns. */
export const MAX_PROVIDER_PAGE_LIMIT = 1000;

/**
 * Providers, their collection runs and the resources those runs found (seed 004), on the same
 * database as the `MetadataStore` but behind its own interface and migrations. One interface, two
 * backends (SQLite, PostgreSQL); callers never know which. Every method fails only with a
 * `PlugboardError` (`NOT_FOUND`, `ALREADY_EXISTS`, `CONFLICT`, `INVALID_ARGUMENT`, `UNAVAILABLE`,
 * `INTERNAL`); `get…` methods return `undefined` for a missing record.
 */
export interface ProviderStore {
  /** Which backend this is (for logs and metrics only). */
  readonly backend: MetadataBackendName;
  /** Closes every connection; later calls fail with `UNAVAILABLE`. */
  close(): Promise<void>;

  /** Creates a provider; `ALREADY_EXISTS` when the domain has one of that name. */
  createProvider(domainId: string, input: ProviderInput): Promise<ProviderRecord>;
  getProvider(domainId: string, id: string): Promise<ProviderRecord | undefined>;
  /** A provider of any domain (for workers, which serve every domain). */
  findProviderById(id: string): Promise<ProviderRecord | undefined>;
  /** One page of the domain's providers by name, and the total. */
  listProviders(domainId: string, query?: ProviderQuery): Promise<ProviderPage>;
  /** Every provider (any domain, or one) bound to `vendor:providerType`, by name. */
  listProvidersOfPlugin(
    vendor: string,
    providerType: string,
    domainId?: string,
  ): Promise<ProviderRecord[]>;
  /** How many providers (any domain, or one) use each plugin key. */
  countProvidersByPlugin(domainId?: string): Promise<PluginUsage[]>;
  /** Changes some fields; `NOT_FOUND` when absent, `ALREADY_EXISTS` for a taken name. */
  updateProvider(domainId: string, id: string, patch: ProviderPatch): Promise<ProviderRecord>;
  /**
   * Deletes a provider with its runs, resources and drift; `NOT_FOUND` when absent, `CONFLICT`
   * while it has a pending or running run.
   */
  deleteProvider(domainId: string, id: string): Promise<void>;

  /**
   * Queues a run (state `pending`); `NOT_FOUND` without the provider, `CONFLICT` naming the run
   * when the provider already has a pending or running one (checked by a unique index, so two
   * replicas can never queue two).
   */
  createRun(
    domainId: string,
    providerId: string,
    input?: CreateRunInput,
  ): Promise<CollectionRunRecord>;
  getRun(domainId: string, id: string): Promise<CollectionRunRecord | undefined>;
  /** One page of the domain's runs, newest first, and the total. */
  listRuns(domainId: string, query?: RunQuery): Promise<RunPage>;
  /**
   * Takes the oldest pending run of any domain for `workerId` (state `running`), or undefined.
   * On PostgreSQL with `FOR UPDATE SKIP LOCKED`: concurrent workers never take the same run.
   */
  claimRun(workerId: string): Promise<CollectionRunRecord | undefined>;
  /** Records progress and a sign of life; tells whether the run is still this worker's. */
  heartbeatRun(id: string, workerId: string, progress: RunProgress): Promise<RunHeartbeat>;
  /**
   * Ends a run this worker holds; undefined when it no longer holds it (the run was recovered as
   * stale), in which case nothing changes.
   */
  finishRun(
    id: string,
    workerId: string,
    outcome: RunOutcome,
  ): Promise<CollectionRunRecord | undefined>;
  /**
   * Cancels a run: a pending one at once, a running one by asking its worker (see
   * `heartbeatRun`). `NOT_FOUND` when absent; `CONFLICT` when it already ended.
   */
  cancelRun(domainId: string, id: string): Promise<CollectionRunRecord>;
  /** Fails running runs whose last heartbeat is before `staleBefore` (their worker died). */
  failStaleRuns(staleBefore: Date, message: string): Promise<CollectionRunRecord[]>;

  /**
   * Upserts one batch of a run's resources by (provider, ems_ref) in one transaction, recording
   * drift of tracked fields for changed ones and bringing back soft-deleted ones. Later values of
   * an ems_ref repeated in the batch win.
   */
  ingestResources(target: IngestTarget, resources: readonly ResourceInput[]): Promise<IngestCounts>;
  /**
   * Soft-deletes the provider's resources (of `resourceTypes`, or all) that run `target.runId`
   * did not see, recording a `deleted` drift for each; returns how many.
   */
  removeUnseenResources(target: IngestTarget, resourceTypes?: readonly string[]): Promise<number>;
  getResource(domainId: string, id: string): Promise<ResourceRecord | undefined>;
  /** Resources of a provider by ems_ref (deleted ones too), for resolving relationships. */
  findResourcesByEmsRef(
    domainId: string,
    providerId: string,
    emsRefs: readonly string[],
  ): Promise<ResourceRecord[]>;
  /** One page of the domain's resources, and the total. */
  listResources(domainId: string, query?: ResourceQuery): Promise<ResourcePage>;
  /** A resource's drift, newest first, at most `limit` entries. */
  listResourceDrift(
    domainId: string,
    resourceId: string,
    limit?: number,
  ): Promise<ResourceDriftRecord[]>;
}
