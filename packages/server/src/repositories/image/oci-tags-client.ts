import { createHash } from 'node:crypto';
import { PlugboardError } from '@plugboard/core';
import type { ImageLocation, OciCredentials } from './oci-registry.js';
import { parseWwwAuthenticate, type AuthChallenge } from './www-authenticate.js';

/** How long one registry request may take before it fails with `TIMEOUT`. */
export const DEFAULT_REGISTRY_TIMEOUT_MS = 10_000;
/** Tags asked for per page (`?n=`). */
export const DEFAULT_TAGS_PAGE_SIZE = 1000;
/** Pages read at most for one image, so a registry that links in circles cannot loop forever. */
export const MAX_TAG_PAGES = 200;
/** Largest response body read from a registry or token service, in bytes. */
export const MAX_REGISTRY_RESPONSE_BYTES = 8 * 1024 * 1024;
/** A bearer token without `expires_in` is reused for this long (the distribution spec's default). */
const DEFAULT_TOKEN_LIFETIME_MS = 60_000;

/** Options of `OciTagsClient`. */
export interface OciTagsClientOptions {
  /** Injected for tests that need a fake network; the global `fetch` otherwise. */
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  readonly pageSize?: number;
  /** Clock for token expiry, in milliseconds. */
  readonly now?: () => number;
}

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

/**
 * Lists every tag of an image through the OCI distribution API (`GET /v2/<name>/tags/list`),
 * following `Link: <…>; rel="next"` pages (or `n`/`last` when a registry sends no `Link`), and
 * answering auth challenges: Basic, or Bearer through the token service named by
 * `WWW-Authenticate: Bearer realm=…,service=…,scope=…`. Tokens are reused until they expire.
 *
 * Failures: `UNAVAILABLE` (unreachable, 5xx, credentials refused, malformed answer), `TIMEOUT`.
 * An image the registry does not know (404) has no tags: the result is empty.
 */
export class OciTagsClient {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly pageSize: number;
  private readonly now: () => number;
  private readonly tokens = new Map<string, CachedToken>();

  constructor(options: OciTagsClientOptions = {}) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_REGISTRY_TIMEOUT_MS;
    this.pageSize = options.pageSize ?? DEFAULT_TAGS_PAGE_SIZE;
    this.now = options.now ?? Date.now;
  }

  /** Every tag of the image, in the registry's order. */
  async listTags(location: ImageLocation, credentials?: OciCredentials): Promise<string[]> {
    const tags: string[] = [];
    const seen = new Set<string>();
    const base = `${location.origin}/v2/${location.repository}/tags/list`;
    let url: string | undefined = `${base}?n=${this.pageSize}`;
    for (let page = 0; url !== undefined; page += 1) {
      if (page >= MAX_TAG_PAGES) {
        throw this.unavailable(location, `more than ${MAX_TAG_PAGES} pages of tags`);
      }
      const response = await this.get(url, location, credentials);
      if (response.status === 404 && page === 0) {
        await response.body?.cancel();
        return [];
      }
      if (response.status !== 200) {
        const body = await readText(response).catch(() => '');
        throw this.failedStatus(location, response.status, body);
      }
      const pageTags = parseTagsBody(await readText(response), location);
      let added = 0;
      for (const tag of pageTags) {
        if (seen.has(tag)) continue;
        seen.add(tag);
        tags.push(tag);
        added += 1;
      }
      url = this.nextPage(response.headers.get('link'), location, base, pageTags, added);
    }
    return tags;
  }

  private nextPage(
    link: string | null,
    location: ImageLocation,
    base: string,
    pageTags: readonly string[],
    added: number,
  ): string | undefined {
    if (link !== null) {
      const match = /<([^>]*)>\s*;\s*rel="?next"?/i.exec(link);
      if (match?.[1] === undefined) return undefined;
      const next = new URL(match[1], location.origin);
      // Credentials go to the registry only; a next page elsewhere is not followed.
      if (next.origin !== location.origin) {
        throw this.unavailable(
          location,
          `the next page link points to another host (${next.origin})`,
        );
      }
      return next.href;
    }
    // Without `Link`, a full page may mean more: ask for the tags after the last one.
    const last = pageTags[pageTags.length - 1];
    if (pageTags.length < this.pageSize || added === 0 || last === undefined) return undefined;
    return `${base}?n=${this.pageSize}&last=${encodeURIComponent(last)}`;
  }

  /** GETs `url`, answering one auth challenge when the registry sends it. */
  private async get(
    url: string,
    location: ImageLocation,
    credentials: OciCredentials | undefined,
  ): Promise<Response> {
    const scope = `repository:${location.repository}:pull`;
    const cacheKey = tokenCacheKey(location.origin, scope, credentials);
    const cached = this.tokens.get(cacheKey);
    let authorization: string | undefined;
    if (credentials !== undefined && 'token' in credentials) {
      authorization = `Bearer ${credentials.token}`;
    } else if (cached !== undefined && cached.expiresAt > this.now()) {
      authorization = `Bearer ${cached.token}`;
    }
    const first = await this.request(url, location, authorization);
    if (first.status !== 401) return first;
    const challenges = parseWwwAuthenticate(first.headers.get('www-authenticate') ?? '');
    await first.body?.cancel();
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const basic = challenges.find((c) => c.scheme === 'basic');
    if (bearer !== undefined && !(credentials !== undefined && 'token' in credentials)) {
      const token = await this.fetchToken(bearer, scope, location, credentials);
      this.tokens.set(cacheKey, token);
      return this.request(url, location, `Bearer ${token.token}`);
    }
    if (basic !== undefined && credentials !== undefined && 'username' in credentials) {
      return this.request(url, location, basicAuthorization(credentials));
    }
    throw this.unavailable(
      location,
      credentials === undefined
        ? 'the registry needs credentials (HTTP 401) and none are configured'
        : 'the registry refused the configured credentials (HTTP 401)',
      401,
    );
  }

  /** Asks the token service named by a Bearer challenge for a pull token. */
  private async fetchToken(
    challenge: AuthChallenge,
    defaultScope: string,
    location: ImageLocation,
    credentials: OciCredentials | undefined,
  ): Promise<CachedToken> {
    const realm = challenge.params['realm'];
    if (realm === undefined || !/^https?:\/\//i.test(realm)) {
      throw this.unavailable(location, 'the Bearer challenge names no http(s) token realm');
    }
    const tokenUrl = new URL(realm);
    const service = challenge.params['service'];
    if (service !== undefined) tokenUrl.searchParams.set('service', service);
    tokenUrl.searchParams.set('scope', challenge.params['scope'] ?? defaultScope);
    const authorization =
      credentials !== undefined && 'username' in credentials
        ? basicAuthorization(credentials)
        : undefined;
    const response = await this.request(tokenUrl.href, location, authorization);
    const text = await readText(response).catch(() => '');
    if (response.status !== 200) {
      throw this.unavailable(
        location,
        `the token service ${tokenUrl.origin} answered HTTP ${response.status}${
          response.status === 401 || response.status === 403
            ? ': check the registry credentials'
            : ''
        }`,
        response.status,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const record = (typeof body === 'object' && body !== null ? body : {}) as Record<
      string,
      unknown
    >;
    const token = record['token'] ?? record['access_token'];
    if (typeof token !== 'string' || token === '') {
      throw this.unavailable(location, `the token service ${tokenUrl.origin} returned no token`);
    }
    const expiresIn = record['expires_in'];
    const lifetimeMs =
      typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn * 1000 : DEFAULT_TOKEN_LIFETIME_MS;
    // Renew a little early so a token does not expire between reading and using it.
    return { token, expiresAt: this.now() + lifetimeMs * 0.9 };
  }

  private async request(
    url: string,
    location: ImageLocation,
    authorization: string | undefined,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (authorization !== undefined) headers['authorization'] = authorization;
    try {
      return await this.fetch(url, { headers, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (cause) {
      if (cause instanceof Error && cause.name === 'TimeoutError') {
        throw new PlugboardError(
          'TIMEOUT',
          `registry ${location.origin} did not answer within ${this.timeoutMs} ms`,
          { cause, details: { registry: location.origin, repository: location.repository } },
        );
      }
      throw this.unavailable(location, 'the registry cannot be reached', undefined, cause);
    }
  }

  private failedStatus(location: ImageLocation, status: number, body: string): PlugboardError {
    const code = registryErrorCode(body);
    return this.unavailable(
      location,
      `tags/list answered HTTP ${status}${code === undefined ? '' : ` (${code})`}`,
      status,
    );
  }

  private unavailable(
    location: ImageLocation,
    reason: string,
    status?: number,
    cause?: unknown,
  ): PlugboardError {
    return new PlugboardError(
      'UNAVAILABLE',
      `cannot list the tags of ${location.repository} at ${location.origin}: ${reason}`,
      {
        cause,
        details: {
          registry: location.origin,
          repository: location.repository,
          ...(status === undefined ? {} : { status }),
        },
      },
    );
  }
}

function parseTagsBody(text: string, location: ImageLocation): string[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    throw new PlugboardError(
      'UNAVAILABLE',
      `the tags of ${location.repository} at ${location.origin} are not JSON`,
      { cause },
    );
  }
  const tags = (body as { tags?: unknown } | null)?.tags;
  // The distribution API answers `"tags": null` for a repository without tags.
  if (tags === null || tags === undefined) return [];
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string')) {
    throw new PlugboardError(
      'UNAVAILABLE',
      `the tags of ${location.repository} at ${location.origin} are not a list of strings`,
    );
  }
  return tags;
}

/** The first `errors[].code` of a distribution API error body, if any. */
function registryErrorCode(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { errors?: { code?: unknown }[] };
    const code = parsed.errors?.[0]?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

async function readText(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_REGISTRY_RESPONSE_BYTES) {
    await response.body?.cancel();
    throw new PlugboardError('UNAVAILABLE', 'a registry response is larger than allowed');
  }
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    // Leaving the loop early cancels the body, so an endless answer stops here.
    if (total > MAX_REGISTRY_RESPONSE_BYTES) {
      throw new PlugboardError('UNAVAILABLE', 'a registry response is larger than allowed');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function basicAuthorization(credentials: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

function tokenCacheKey(origin: string, scope: string, credentials?: OciCredentials): string {
  // Hashed so a changed password gets a new token and no secret sits in a map key.
  const who =
    credentials === undefined
      ? ''
      : createHash('sha256').update(JSON.stringify(credentials)).digest('hex');
  return `${origin} ${scope} ${who}`;
}
