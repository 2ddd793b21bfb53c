import { timingSafeEqual, createHash } from 'node:crypto';
import { PlugboardError } from '@plugboard/core';
import { hashTokenSecret, type MetadataStore } from '@plugboard/store';
import { FailedAuthLimiter } from './failed-auth-limiter.js';
import type { Principal } from './principal.js';
import { TokenCache } from './token-cache.js';

/** The domain every fresh server creates, which the admin password and first token belong to. */
export const DEFAULT_DOMAIN_ID = 'default';

/** What authentication needs to know. */
export interface AuthenticatorOptions {
  readonly store: MetadataStore;
  /** The password of HTTP Basic user `admin` (seed 004's curl style); undefined disables Basic. */
  readonly adminPassword: string | undefined;
  /** Wrong Basic passwords a client address may send per minute before 429 (default 30; 0: no limit). */
  readonly passwordFailuresPerMinute?: number | undefined;
}

/** The header API clients send a key in (client config `auth.type: api_key`). */
export const API_KEY_HEADER = 'x-api-key';

/**
 * Reads the Authorization header (or, without one, the `X-API-Key` header) into a principal;
 * undefined when the request has neither.
 */
export type Authenticate = (
  authorization: string | undefined,
  apiKey?: string,
  /** The client's address, which wrong passwords are counted against. */
  client?: string,
) => Promise<Principal | undefined>;

/**
 * Bearer tokens are looked up by their sha256 hash; Basic accepts `admin:<admin password>` and also
 * `<anything>:<token>` so tools that only speak Basic can use a token; `X-API-Key: <token>` is the
 * same as `Authorization: Bearer <token>` (used only when there is no Authorization header). A
 * header that is present but wrong is UNAUTHENTICATED, never silently anonymous.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticate {
  const adminDigest =
    options.adminPassword === undefined ? undefined : sha256(options.adminPassword);
  const tokens = new TokenCache(options.store);
  const passwordGuesses = new FailedAuthLimiter(options.passwordFailuresPerMinute);
  const byToken = async (secret: string): Promise<Principal> => {
    const token = await tokens.find(hashTokenSecret(secret));
    if (token === undefined)
      throw new PlugboardError('UNAUTHENTICATED', 'the token is unknown, revoked or expired');
    return { domainId: token.domainId, role: token.role, tokenId: token.id };
  };
  return async (authorization, apiKey, client = 'unknown') => {
    if (authorization === undefined || authorization === '') {
      if (apiKey === undefined || apiKey === '') return undefined;
      return byToken(apiKey.trim());
    }
    const { scheme, credentials } = splitAuthorization(authorization);
    switch (scheme.toLowerCase()) {
      case 'bearer':
        if (credentials === '')
          throw new PlugboardError('UNAUTHENTICATED', 'Authorization: Bearer needs a token');
        return byToken(credentials);
      case 'basic': {
        const decoded = Buffer.from(credentials, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon < 0)
          throw new PlugboardError('UNAUTHENTICATED', 'Authorization: Basic needs user:password');
        const user = decoded.slice(0, colon);
        const password = decoded.slice(colon + 1);
        // Passwords can be guessed (tokens cannot): an address that sent too many wrong ones
        // waits, whatever it sends now, so guessing goes no faster than the limit.
        const retryAfter = passwordGuesses.retryAfterSeconds(client);
        if (retryAfter !== undefined) {
          throw new PlugboardError(
            'RATE_LIMITED',
            `too many wrong passwords from this address; retry in ${retryAfter} s`,
            { details: { retry_after_seconds: retryAfter } },
          );
        }
        if (
          user === 'admin' &&
          adminDigest !== undefined &&
          timingSafeEqual(sha256(password), adminDigest)
        ) {
          return { domainId: DEFAULT_DOMAIN_ID, role: 'admin', tokenId: 'admin-password' };
        }
        if (password.startsWith('pb_')) return byToken(password);
        passwordGuesses.recordFailure(client);
        throw new PlugboardError('UNAUTHENTICATED', 'wrong user or password');
      }
      default:
        throw new PlugboardError(
          'UNAUTHENTICATED',
          `unsupported authorization scheme "${scheme}"; use Bearer or Basic`,
        );
    }
  };
}

/** `Scheme credentials` → both parts; the credentials keep inner spaces (there should be none). */
function splitAuthorization(authorization: string): { scheme: string; credentials: string } {
  const text = authorization.trim();
  const space = text.search(/\s/);
  if (space < 0) return { scheme: text, credentials: '' };
  return { scheme: text.slice(0, space), credentials: text.slice(space + 1).trim() };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
