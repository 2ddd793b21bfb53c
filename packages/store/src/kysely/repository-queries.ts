import { randomUUID } from 'node:crypto';
import { PlugboardError } from '@plugboard/core';
import type { Kysely } from 'kysely';
import {
  DEFAULT_REPOSITORY_PRIORITY,
  DEFAULT_REPOSITORY_TIMEOUT_MS,
  toPublicRepository,
  type ClearRepositoryToken,
  type CreateRepositoryInput,
  type RemoteRepository,
  type RemoteRepositoryConnection,
} from '../metadata/repository-record.js';
import { assertInteger, assertText } from '../metadata/validate-store-input.js';
import type { Database } from './database-tables.js';
import { toRepositoryConnection } from './row-mapping.js';
import type { WriteContext } from './write-context.js';

/** Largest priority number accepted. */
const MAX_PRIORITY = 1_000_000;

/** Longest per-call timeout accepted for a REMOTE repository, in milliseconds (10 minutes). */
const MAX_REPOSITORY_TIMEOUT_MS = 600_000;

/** Inserts a REMOTE repository (a duplicate name fails on the unique constraint). */
export async function insertRepository(
  context: WriteContext,
  domainId: string,
  input: CreateRepositoryInput,
): Promise<RemoteRepository> {
  assertText('name', input.name);
  checkEndpoint(input.endpoint);
  if (input.token !== undefined) assertText('token', input.token);
  if (input.sealedToken !== undefined) assertText('sealedToken', input.sealedToken);
  const priority = input.priority ?? DEFAULT_REPOSITORY_PRIORITY;
  assertInteger('priority', priority, 0, MAX_PRIORITY);
  const timeoutMs = input.timeoutMs ?? DEFAULT_REPOSITORY_TIMEOUT_MS;
  assertInteger('timeoutMs', timeoutMs, 1, MAX_REPOSITORY_TIMEOUT_MS);
  const row = {
    id: `repo-${randomUUID()}`,
    domain_id: domainId,
    name: input.name,
    endpoint: input.endpoint,
    token: input.token ?? null,
    token_sealed: input.sealedToken ?? null,
    priority,
    timeout_ms: timeoutMs,
    created_at: context.now,
    updated_at: context.now,
  };
  await context.trx.insertInto('remote_repositories').values(row).execute();
  context.changes.push({ entity: 'repository', action: 'created', domainId, key: row.id });
  return toPublicRepository(toRepositoryConnection(row));
}

/** A domain's REMOTE repositories with tokens, by priority then name. */
export async function selectRepositoryConnections(
  db: Kysely<Database>,
  domainId: string,
): Promise<RemoteRepositoryConnection[]> {
  const rows = await db
    .selectFrom('remote_repositories')
    .selectAll()
    .where('domain_id', '=', domainId)
    .orderBy('priority', 'asc')
    .orderBy('name', 'asc')
    .execute();
  return rows.map((row) => toRepositoryConnection(row));
}

/** One REMOTE repository with its token, if it exists. */
export async function selectRepositoryConnection(
  db: Kysely<Database>,
  domainId: string,
  id: string,
): Promise<RemoteRepositoryConnection | undefined> {
  const row = await db
    .selectFrom('remote_repositories')
    .selectAll()
    .where('domain_id', '=', domainId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : toRepositoryConnection(row);
}

/** Deletes a REMOTE repository; `NOT_FOUND` when absent. */
export async function deleteRepositoryRow(
  context: WriteContext,
  domainId: string,
  id: string,
): Promise<void> {
  const result = await context.trx
    .deleteFrom('remote_repositories')
    .where('domain_id', '=', domainId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) {
    throw new PlugboardError('NOT_FOUND', `domain "${domainId}" has no repository "${id}"`, {
      details: { domainId, id },
    });
  }
  context.changes.push({ entity: 'repository', action: 'deleted', domainId, key: id });
}

/** Every REMOTE repository whose token is still stored in clear (rows of older servers). */
export async function selectClearRepositoryTokens(
  db: Kysely<Database>,
): Promise<ClearRepositoryToken[]> {
  const rows = await db
    .selectFrom('remote_repositories')
    .select(['domain_id', 'id', 'name', 'token'])
    .where('token', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    domainId: row.domain_id,
    id: row.id,
    name: row.name,
    token: row.token ?? '',
  }));
}

/**
 * Replaces one clear token by its sealed form, only if the row still holds that clear token (a
 * replica sealing at the same moment makes this a no-op). True when this call sealed it.
 */
export async function sealRepositoryTokenRow(
  context: WriteContext,
  clear: ClearRepositoryToken,
  sealed: string,
): Promise<boolean> {
  const result = await context.trx
    .updateTable('remote_repositories')
    .set({ token: null, token_sealed: sealed, updated_at: context.now })
    .where('id', '=', clear.id)
    .where('token', '=', clear.token)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  context.changes.push({
    entity: 'repository',
    action: 'updated',
    domainId: clear.domainId,
    key: clear.id,
  });
  return true;
}

/** Only http(s) URLs without credentials: a token belongs in `token`, which is never shown. */
function checkEndpoint(endpoint: unknown): void {
  assertText('endpoint', endpoint);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw invalidEndpoint('endpoint must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidEndpoint(`endpoint must use http or https, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw invalidEndpoint('endpoint must not contain credentials; pass the token separately');
  }
}

function invalidEndpoint(message: string): PlugboardError {
  return new PlugboardError('INVALID_ARGUMENT', message, { details: { field: 'endpoint' } });
}
