import { PlugboardError } from '@plugboard/core';
import type { IngestCounts, IngestTarget } from '../providers/resource-record.js';
import type { ProviderWriteContext } from './provider-write-context.js';
import type { PreparedResource } from './resource-content.js';

/**
 * Writes one prepared batch of a collection run, in one transaction of its own, on one backend:
 * upserts by (provider, ems_ref) — new ones inserted, unchanged ones (same fingerprint, not
 * deleted) only get `last_seen_*`, changed or deleted ones rewritten with a drift row per tracked
 * field that differs (the latest change wins when one run sees a resource twice). The write path
 * of every collection run, so each backend writes it its own fastest way.
 */
export interface ResourceBatchWriter {
  write(
    target: IngestTarget,
    batch: readonly PreparedResource[],
    now: string,
  ): Promise<IngestCounts>;
}

/** `NOT_FOUND` for a batch of a provider that no longer exists. */
export function providerGone(providerId: string): PlugboardError {
  return new PlugboardError('NOT_FOUND', `provider "${providerId}" no longer exists`, {
    details: { providerId },
  });
}

/** Soft-deletes resources the run did not see, with a `deleted` drift row each. */
export async function softDeleteUnseen(
  context: ProviderWriteContext,
  target: IngestTarget,
  resourceTypes: readonly string[] | undefined,
): Promise<number> {
  const { trx, now } = context;
  const unseen = trx
    .selectFrom('resources')
    .where('provider_id', '=', target.providerId)
    .where('deleted_at', 'is', null)
    .where('last_seen_run_id', '<>', target.runId)
    .$if(resourceTypes !== undefined, (qb) => qb.where('resource_type', 'in', resourceTypes ?? []));
  await trx
    .insertInto('resource_drift')
    .columns(['resource_id', 'run_id', 'field', 'old_value_json', 'new_value_json', 'changed_at'])
    .expression(
      unseen.select((eb) => [
        'id',
        eb.val(target.runId).as('run_id'),
        eb.val('deleted').as('field'),
        eb.val('false').as('old_value_json'),
        eb.val('true').as('new_value_json'),
        eb.val(now).as('changed_at'),
      ]),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
  const result = await trx
    .updateTable('resources')
    .set({ deleted_at: now, updated_at: now })
    .where('provider_id', '=', target.providerId)
    .where('deleted_at', 'is', null)
    .where('last_seen_run_id', '<>', target.runId)
    .$if(resourceTypes !== undefined, (qb) => qb.where('resource_type', 'in', resourceTypes ?? []))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
