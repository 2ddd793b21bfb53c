import type { FetchFunction } from './registry-transport.js';

/** Redirects followed at most. */
const MAX_REDIRECTS = 10;

/** Headers that carry credentials and must stay on the registry's origin. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'x-api-key']);

/**
 * Sends a request following redirects by hand, so credential headers (`Authorization`,
 * `X-API-Key`) only ever reach the origin of the first URL. `fetch` drops `Authorization` on a
 * cross-origin redirect by itself but forwards any other header, an API key included — an
 * artifact download redirected to a blob store must not carry it. Only GET and HEAD are
 * followed; any other method gets the redirect answer back (its body cannot be replayed).
 */
export async function fetchWithScopedCredentials(
  fetch: FetchFunction,
  url: string,
  init: RequestInit & { headers: Record<string, string> },
): Promise<Response> {
  const home = new URL(url).origin;
  const method = (init.method ?? 'GET').toUpperCase();
  let next = new URL(url);
  for (let hop = 0; ; hop += 1) {
    const headers =
      next.origin === home
        ? init.headers
        : Object.fromEntries(
            Object.entries(init.headers).filter(
              ([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase()),
            ),
          );
    const response = await fetch(next.href, { ...init, headers, redirect: 'manual' });
    const location = response.headers.get('location');
    const redirected = response.status >= 300 && response.status <= 399 && location !== null;
    if (!redirected || (method !== 'GET' && method !== 'HEAD') || hop >= MAX_REDIRECTS) {
      return response;
    }
    await response.body?.cancel().catch(() => undefined);
    next = new URL(location, next);
  }
}
