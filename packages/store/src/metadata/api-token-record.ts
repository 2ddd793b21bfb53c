import { hash, randomBytes } from 'node:crypto';

/** What a token may do: `admin` everything in its domain, `publisher` write plugins, `reader` read. */
export type TokenRole = 'admin' | 'publisher' | 'reader';

/** Every token role, most powerful first. */
export const TOKEN_ROLES: readonly TokenRole[] = Object.freeze(['admin', 'publisher', 'reader']);

/** Characters of the secret kept in clear (`pb_` plus a few more), so a token can be recognised. */
export const TOKEN_PREFIX_LENGTH = 10;

/** Bytes of randomness in a generated secret (192 bits). */
const TOKEN_SECRET_BYTES = 24;

/**
 * An API token as stored: never the secret itself, only its sha256 hash and a short public prefix.
 */
export interface ApiToken {
  readonly id: string;
  readonly domainId: string;
  /** What the token is for, e.g. `ci publish`. */
  readonly name: string;
  readonly role: TokenRole;
  /** The first `TOKEN_PREFIX_LENGTH` characters of the secret, safe to show. */
  readonly prefix: string;
  readonly createdAt: string;
  readonly expiresAt: string | undefined;
  readonly revokedAt: string | undefined;
}

/** What `createToken` needs. */
export interface CreateTokenInput {
  readonly domainId: string;
  readonly name: string;
  readonly role: TokenRole;
  /** A secret to store (e.g. from `PLUGBOARD_ADMIN_TOKEN`); generated when absent. */
  readonly secret?: string;
  /** RFC 3339 time after which the token no longer authenticates. */
  readonly expiresAt?: string;
}

/** A token just created, with its secret: the only time the secret is available. */
export interface CreatedToken {
  readonly token: ApiToken;
  readonly secret: string;
}

/** The hex sha256 of a token secret: what the store keeps and looks tokens up by. */
export function hashTokenSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}

/** A new random token secret, `pb_` followed by 32 URL-safe characters. */
export function generateTokenSecret(): string {
  return `pb_${randomBytes(TOKEN_SECRET_BYTES).toString('base64url')}`;
}

/** True when `value` is one of the token roles. */
export function isTokenRole(value: unknown): value is TokenRole {
  return typeof value === 'string' && (TOKEN_ROLES as readonly string[]).includes(value);
}
