import { PlugboardError } from '@plugboard/core';
import { RegistryClient } from '@plugboard/client';
import { currentSession } from '../session/session-store.js';
import { errorFromBody } from './api-error.js';

/** The API prefix on the origin that served the page (the page only talks to its own server). */
export const API_PREFIX = '/api/v1';

/** Timeout of one API call from the page, in milliseconds. */
export const PAGE_REQUEST_TIMEOUT_MS = 30_000;

/** The registry URL of the server that served the page. */
export function registryUrl(): string {
  return `${location.origin}${API_PREFIX}`;
}

let cached: { token: string | undefined; client: RegistryClient } | undefined;

/** A typed client for this server, carrying the tab's token when signed in. */
export function registryClient(): RegistryClient {
  const token = currentSession()?.token;
  if (cached === undefined || cached.token !== token) {
    cached = {
      token,
      client: new RegistryClient({ url: registryUrl(), token, timeoutMs: PAGE_REQUEST_TIMEOUT_MS }),
    };
  }
  return cached.client;
}

/** Query values of `apiRequest`; `undefined` and empty strings are left out. */
export type ApiQuery = Readonly<Record<string, string | number | boolean | undefined>>;

/** One call of `apiRequest`. */
export interface ApiRequest {
  readonly query?: ApiQuery | undefined;
  readonly json?: unknown;
  readonly signal?: AbortSignal | undefined;
  /** Another token than the session's (signing in checks one before keeping it). */
  readonly token?: string | undefined;
}

/** `path?query` below the API prefix. */
export function apiPath(path: string, query: ApiQuery = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return `${API_PREFIX}${path}${text === '' ? '' : `?${text}`}`;
}

/**
 * A JSON call to an endpoint the typed client does not cover (providers, runs, resources,
 * enable/disable). Failures are `PlugboardError`s with the server's code.
 */
export async function apiRequest<T>(
  method: string,
  path: string,
  request: ApiRequest = {},
): Promise<T> {
  const token = request.token ?? currentSession()?.token;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  if (request.json !== undefined) headers['content-type'] = 'application/json';
  const timeout = AbortSignal.timeout(PAGE_REQUEST_TIMEOUT_MS);
  const signal =
    request.signal === undefined ? timeout : AbortSignal.any([request.signal, timeout]);
  let response: Response;
  try {
    response = await fetch(apiPath(path, request.query), {
      method,
      headers,
      body: request.json === undefined ? undefined : JSON.stringify(request.json),
      signal,
    });
  } catch (cause) {
    if (request.signal?.aborted === true) {
      throw new PlugboardError('ABORTED', `${method} ${path} was canceled`, { cause });
    }
    if (timeout.aborted) {
      throw new PlugboardError('TIMEOUT', `${method} ${path} did not answer in time`, { cause });
    }
    throw new PlugboardError('UNAVAILABLE', `the server cannot be reached (${method} ${path})`, {
      cause,
    });
  }
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => undefined)) as unknown;
  if (!response.ok) throw errorFromBody(response.status, body);
  return body as T;
}
