import { PlugboardError, isPlugboardError } from '@plugboard/core';
import type { HostLogger } from '@plugboard/host';
import { resourceDataProblems, type ResourceData } from '@plugboard/protocol';
import {
  ZERO_RUN_COUNTS,
  type CollectionRunRecord,
  type IngestTarget,
  type ProviderRecord,
  type ResourceInput,
  type RunCounts,
  type RunError,
  type RunOutcome,
} from '@plugboard/store';
import type { PluginLease } from './provider-plugin-registry.js';
import type { ProviderService } from './provider-service.js';

/** Resources written per store transaction. */
export const DEFAULT_INGEST_BATCH_SIZE = 500;
/** A partly filled batch is written once its first resource is this old, in milliseconds. */
export const DEFAULT_INGEST_FLUSH_MS = 1_000;
/** Longest a whole `collect` stream may take, in milliseconds (one hour). */
export const DEFAULT_COLLECT_TIMEOUT_MS = 60 * 60 * 1000;

/** Tunables of one run's execution. */
export interface RunExecutionOptions {
  readonly batchSize: number;
  readonly flushMs: number;
  readonly collectTimeoutMs: number;
  readonly logger: HostLogger;
}

/** How the worker talks to one running run: progress out, a stop signal in. */
export interface RunControl {
  /** Aborted when the run is canceled or the worker lost it. */
  readonly signal: AbortSignal;
  /** Why `signal` fired: `canceled` (a user asked) or anything else (lost, shutting down). */
  stopReason(): 'canceled' | 'lost' | 'shutdown' | undefined;
  /** Latest counts, for heartbeats. */
  report(counts: RunCounts, pluginVersion: string | undefined): void;
}

/**
 * Runs one claimed collection run: connect → collect (streamed, written in batches) →
 * disconnect, always, for a session it got. Returns how the run ended; never throws.
 * Resources no longer seen are soft-deleted only after a complete collect with no invalid values,
 * so a crash, a cancel or bad data never removes what is stored.
 */
export async function executeCollectionRun(
  run: CollectionRunRecord,
  providers: ProviderService,
  control: RunControl,
  options: RunExecutionOptions,
): Promise<RunOutcome> {
  let counts: RunCounts = ZERO_RUN_COUNTS;
  let lease: PluginLease | undefined;
  let provider: ProviderRecord | undefined;
  const log = { runId: run.id, providerId: run.providerId, key: run.pluginKey };
  try {
    provider = await providers.store.findProviderById(run.providerId);
    if (provider === undefined) {
      throw new PlugboardError('NOT_FOUND', `provider "${run.providerId}" no longer exists`);
    }
    lease = providers.plugins.acquire(run.pluginKey);
    const version = lease.plugin.version;
    control.report(counts, version);
    const target: IngestTarget = {
      runId: run.id,
      domainId: run.domainId,
      providerId: run.providerId,
    };
    const ingest = async (batch: ResourceInput[]): Promise<void> => {
      if (batch.length === 0) return;
      const done = await providers.store.ingestResources(target, batch);
      counts = {
        ...counts,
        created: counts.created + done.created,
        updated: counts.updated + done.updated,
        unchanged: counts.unchanged + done.unchanged,
      };
      control.report(counts, version);
    };

    const connected = (await lease.provider.call(
      'connect',
      { connection: providers.connectionOf(provider) },
      { signal: control.signal },
    )) as { session_id?: unknown };
    if (typeof connected.session_id !== 'string') {
      throw new PlugboardError('PLUGIN_PROTOCOL_ERROR', 'connect answered without a session_id');
    }
    const sessionId = connected.session_id;
    let firstInvalid: RunError | undefined;
    try {
      let batch: ResourceInput[] = [];
      let batchStartedAt = 0;
      const stream = lease.provider.stream(
        'collect',
        {
          session_id: sessionId,
          ...(run.resourceTypes === undefined ? {} : { resource_types: run.resourceTypes }),
        },
        { signal: control.signal, timeoutMs: options.collectTimeoutMs },
      );
      for await (const value of stream) {
        const problems = resourceDataProblems(value);
        if (!problems.empty) {
          counts = { ...counts, invalid: counts.invalid + 1 };
          const first = problems.problems[0];
          firstInvalid ??= {
            code: 'INVALID_ARGUMENT',
            message:
              `the plugin yielded an invalid resource: ${first?.path ?? ''} ${first?.message ?? ''}`.trim(),
          };
          continue;
        }
        counts = { ...counts, found: counts.found + 1 };
        if (batch.length === 0) batchStartedAt = Date.now();
        batch.push(toResourceInput(value as ResourceData));
        if (batch.length >= options.batchSize || Date.now() - batchStartedAt >= options.flushMs) {
          const full = batch;
          batch = [];
          await ingest(full);
        }
      }
      await ingest(batch);
    } finally {
      // Always, even after a failed or aborted collect: the plugin may hold a real connection.
      await lease.provider.call('disconnect', { session_id: sessionId }).catch((error: unknown) => {
        const code = isPlugboardError(error) ? error.code : 'INTERNAL';
        options.logger.warn({ ...log, code }, 'disconnect after a collection run failed');
      });
    }
    if (control.signal.aborted) return stopped(control, counts, version);
    if (firstInvalid !== undefined) {
      return { state: 'partial', counts, error: firstInvalid, pluginVersion: version };
    }
    const removed = await providers.store.removeUnseenResources(target, run.resourceTypes);
    return { state: 'completed', counts: { ...counts, removed }, pluginVersion: version };
  } catch (error) {
    if (control.signal.aborted) return stopped(control, counts, lease?.plugin.version);
    const failure = isPlugboardError(error)
      ? { code: error.code, message: redacted(providers, provider, error.message) }
      : { code: 'INTERNAL', message: 'the collection run failed' };
    // The error object itself is not logged: its message and cause may quote secrets.
    options.logger.warn(
      { ...log, code: failure.code, error: failure.message },
      'collection run failed',
    );
    return { state: 'failed', counts, error: failure, pluginVersion: lease?.plugin.version };
  } finally {
    lease?.release();
  }
}

function redacted(
  providers: ProviderService,
  provider: ProviderRecord | undefined,
  text: string,
): string {
  if (provider === undefined) return text;
  try {
    return providers.redactSecrets(provider, text);
  } catch {
    return text;
  }
}

function stopped(
  control: RunControl,
  counts: RunCounts,
  pluginVersion: string | undefined,
): RunOutcome {
  const reason = control.stopReason();
  if (reason === 'canceled') {
    return {
      state: 'canceled',
      counts,
      error: { code: 'ABORTED', message: 'the run was canceled' },
      pluginVersion,
    };
  }
  return {
    state: 'failed',
    counts,
    error: {
      code: 'UNAVAILABLE',
      message:
        reason === 'shutdown'
          ? 'the server stopped while the run was in progress'
          : 'the run was taken over after its worker went quiet',
    },
    pluginVersion,
  };
}

/** The protocol's ResourceData (already checked) as the store takes it. */
function toResourceInput(value: ResourceData): ResourceInput {
  return {
    emsRef: value.ems_ref,
    resourceType: value.resource_type,
    name: value.name,
    state: value.state,
    properties: value.properties === undefined ? undefined : { ...value.properties },
    relationships: value.relationships?.map((link) => ({
      type: link.type,
      targetEmsRef: link.target_ems_ref,
    })),
    parentEmsRef: value.parent_ems_ref,
    tags: value.tags,
  };
}
