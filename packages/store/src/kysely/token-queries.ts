import { randomUUID } from 'node:crypto';
import { PlugboardError } from '@plugboard/core';
import type { Kysely } from 'kysely';
import {
  TOKEN_PREFIX_LENGTH,
  TOKEN_ROLES,
  generateTokenSecret,
  hashTokenSecret,
  isTokenRole,
  type ApiToken,
  type CreateTokenInput,
  type CreatedToken,
} from '../metadata/api-token-record.js';
import { assertDomainId, assertText } from '../metadata/validate-store-input.js';
import type { Database } from './database-tables.js';
import { toApiToken } from './row-mapping.js';
import type { WriteContext } from './write-context.js';

const SHA256_HEX_REGEXP = /^[0-9a-f]{64}$/;

/** Stores a token's hash and public prefix; returns the record and the secret. */
export async function insertToken(
  context: WriteContext,
  input: CreateTokenInput,
): Promise<CreatedToken> {
  assertDomainId(input.domainId);
  assertText('name', input.name);
  if (!isTokenRole(input.role)) {
    throw new PlugboardError(
      'INVALID_ARGUMENT',
      `role must be one of ${TOKEN_ROLES.join(', ')}, got ${JSON.stringify(input.role)}`,
      { details: { field: 'role' } },
    );
  }
  const secret = input.secret ?? generateTokenSecret();
  assertText('secret', secret);
  const row = {
    id: `tok-${randomUUID()}`,
    domain_id: input.domainId,
    name: input.name,
    role: input.role,
    prefix: secret.slice(0, TOKEN_PREFIX_LENGTH),
    token_hash: hashTokenSecret(secret),
    created_at: context.now,
    expires_at: input.expiresAt === undefined ? null : normalizeTime('expiresAt', input.expiresAt),
    revoked_at: null,
  };
  await context.trx.insertInto('api_tokens').values(row).execute();
  context.changes.push({
    entity: 'token',
    action: 'created',
    domainId: row.domain_id,
    key: row.id,
  });
  return { token: toApiToken(row), secret };
}

/** The token with this hash, unless revoked or expired at `now`. */
export async function selectActiveToken(
  db: Kysely<Database>,
  secretHash: string,
  now: string,
): Promise<ApiToken | undefined> {
  if (!SHA256_HEX_REGEXP.test(secretHash)) return undefined;
  const row = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', secretHash)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst();
  return row === undefined ? undefined : toApiToken(row);
}

/** A domain's tokens, oldest first. */
export async function selectTokens(db: Kysely<Database>, domainId: string): Promise<ApiToken[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('domain_id', '=', domainId)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.map((row) => toApiToken(row));
}

/** Revokes a token (a second revoke keeps the first time); `NOT_FOUND` when absent. */
export async function revokeTokenRow(
  context: WriteContext,
  domainId: string,
  tokenId: string,
): Promise<ApiToken> {
  const row = await context.trx
    .selectFrom('api_tokens')
    .selectAll()
    .where('domain_id', '=', domainId)
    .where('id', '=', tokenId)
    .executeTakeFirst();
  if (row === undefined) {
    throw new PlugboardError('NOT_FOUND', `domain "${domainId}" has no token "${tokenId}"`, {
      details: { domainId, tokenId },
    });
  }
  if (row.revoked_at !== null) return toApiToken(row);
  await context.trx
    .updateTable('api_tokens')
    .set({ revoked_at: context.now })
    .where('id', '=', tokenId)
    .execute();
  context.changes.push({ entity: 'token', action: 'updated', domainId, key: tokenId });
  return toApiToken({ ...row, revoked_at: context.now });
}

function normalizeTime(field: string, value: string): string {
  const time = Date.parse(value);
  if (typeof value !== 'string' || Number.isNaN(time)) {
    throw new PlugboardError('INVALID_ARGUMENT', `${field} must be an RFC 3339 date-time`, {
      details: { field },
    });
  }
  return new Date(time).toISOString();
}
