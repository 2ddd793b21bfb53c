import { PlugboardError } from '@plugboard/core';
import { CallControl } from './call-control.js';
import { errorFromResponse, unexpectedBodyError, type CallSite } from './registry-errors.js';
import { fetchWithScopedCredentials } from './scoped-redirects.js';

/** The `fetch` the client calls; the global one unless injected (tests, proxies, custom agents). */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

/** What a bearer token may contain: visible ASCII, as an HTTP header value allows. */
const TOKEN_PATTERN = /^[\x21-\x7e]+$/;

/** HTTP Basic credentials (seed 004's `admin:<password>` style). */
export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

/** Query parameters; `undefined` values are left out, arrays are joined with commas. */
export type QueryParameters = Readonly<
  Record<string, string | number | boolean | readonly string[] | undefined>
>;

/** Per-call options every client method takes. */
export interface CallOptions {
  /** Aborting rejects the call with `ABORTED`. */
  readonly signal?: AbortSignal | undefined;
  /** Overrides the client's timeout for this call, in milliseconds. */
  readonly timeoutMs?: number | undefined;
  /** Extra request headers for this call (the client's own credentials still win). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/** One request as the client methods describe it. */
export interface TransportRequest extends CallOptions {
  readonly query?: QueryParameters | undefined;
  /** Sent as JSON. */
  readonly json?: unknown;
  /** Sent as is, with this content type. */
  readonly raw?: { readonly body: BodyInit; readonly contentType: string } | undefined;
}

/** A successful response whose body the caller reads; `control` must be disposed when done. */
export interface OpenResponse {
  readonly response: Response;
  readonly control: CallControl;
  readonly site: CallSite;
}

/** What the transport needs. */
export interface TransportOptions {
  readonly url: string;
  readonly token?: string | undefined;
  /** Sent as `X-API-Key: <key>` (client config `auth.type: api_key`). */
  readonly apiKey?: string | undefined;
  readonly basic?: BasicCredentials | undefined;
  readonly timeoutMs: number;
  readonly fetch: FetchFunction;
  readonly maxJsonBytes: number;
}

/**
 * Sends requests to one registry: builds URLs below the registry URL, adds credentials, applies
 * timeouts and signals, and turns every failure into a `PlugboardError`. Messages name the
 * registry URL without credentials and never carry a token.
 */
export class RegistryTransport {
  /** The registry URL as shown in messages: no credentials, no trailing slash. */
  readonly registry: string;
  readonly #base: string;
  readonly #authorization: string | undefined;
  readonly #apiKey: string | undefined;
  readonly #options: TransportOptions;

  constructor(options: TransportOptions) {
    const parsed = parseRegistryUrl(options.url);
    this.#options = options;
    this.#base = parsed.base;
    this.registry = parsed.base;
    const basic = options.basic ?? parsed.basic;
    this.#apiKey =
      options.apiKey === undefined || options.apiKey === ''
        ? undefined
        : headerSafe(options.apiKey, 'apiKey');
    if (options.token !== undefined && options.token !== '') {
      this.#authorization = `Bearer ${headerSafe(options.token, 'token')}`;
    } else if (basic !== undefined) {
      this.#authorization = `Basic ${base64Utf8(`${basic.username}:${basic.password}`)}`;
    }
  }

  /** Sends a request and returns the parsed JSON body (undefined for an empty body). */
  async json(method: string, path: string, request: TransportRequest = {}): Promise<unknown> {
    const { response, control, site } = await this.open(method, path, request);
    try {
      const text = await readText(response, this.#options.maxJsonBytes, site, control);
      if (text.trim() === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw unexpectedBodyError(site, 'it is not JSON');
      }
    } finally {
      control.dispose();
    }
  }

  /**
   * Sends a request and returns the response once its headers arrived with a 2xx status. The
   * timeout keeps running: the caller restarts it while reading and disposes of `control`.
   */
  async open(method: string, path: string, request: TransportRequest = {}): Promise<OpenResponse> {
    const site: CallSite = { registry: this.registry, method, path };
    const control = new CallControl(
      site,
      request.timeoutMs ?? this.#options.timeoutMs,
      request.signal,
    );
    try {
      control.throwIfCancelled();
      let response: Response;
      try {
        const init = {
          method,
          headers: this.#headers(request),
          body: requestBody(request),
          signal: control.signal,
          redirect: 'follow' as const,
          // Needed by Node's fetch for streamed request bodies; ignored elsewhere.
          ...(isStream(request.raw?.body) ? { duplex: 'half' } : {}),
        };
        const url = this.#url(path, request.query);
        // An API key is an ordinary header, which fetch would forward to any redirect target.
        response =
          this.#apiKey === undefined
            ? await this.#options.fetch(url, init)
            : await fetchWithScopedCredentials(this.#options.fetch, url, init);
      } catch (error) {
        throw control.failure(error);
      }
      if (!response.ok) {
        const text = await readText(response, this.#options.maxJsonBytes, site, control).catch(
          (error: unknown) => {
            if (error instanceof PlugboardError && error.code !== 'UNAVAILABLE') throw error;
            return '';
          },
        );
        throw errorFromResponse(site, response.status, text);
      }
      return { response, control, site };
    } catch (error) {
      control.dispose();
      throw error;
    }
  }

  #url(path: string, query: QueryParameters | undefined): string {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      search.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    const text = search.toString();
    return `${this.#base}${path}${text === '' ? '' : `?${text}`}`;
  }

  #headers(request: TransportRequest): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (this.#authorization !== undefined) headers['authorization'] = this.#authorization;
    if (this.#apiKey !== undefined) headers['x-api-key'] = this.#apiKey;
    if (request.raw !== undefined) headers['content-type'] = request.raw.contentType;
    else if (request.json !== undefined) headers['content-type'] = 'application/json';
    return headers;
  }
}

/** Splits a registry URL into its credential-free base and any `user:password@` it carried. */
export function parseRegistryUrl(url: string): { base: string; basic?: BasicCredentials } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PlugboardError('INVALID_ARGUMENT', 'url must be an absolute http(s) URL', {
      details: { field: 'url' },
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new PlugboardError(
      'INVALID_ARGUMENT',
      `url must use http or https, not ${parsed.protocol}`,
      {
        details: { field: 'url' },
      },
    );
  }
  const basic =
    parsed.username === ''
      ? undefined
      : {
          username: decodeURIComponent(parsed.username),
          password: decodeURIComponent(parsed.password),
        };
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  const base = parsed.toString().replace(/\/+$/, '');
  return basic === undefined ? { base } : { base, basic };
}

function requestBody(request: TransportRequest): BodyInit | undefined {
  if (request.raw !== undefined) return request.raw.body;
  if (request.json !== undefined) return JSON.stringify(request.json);
  return undefined;
}

function isStream(body: unknown): boolean {
  return typeof ReadableStream !== 'undefined' && body instanceof ReadableStream;
}

// Reads a body with a size cap, so a broken or hostile registry cannot exhaust memory.
async function readText(
  response: Response,
  maxBytes: number,
  site: CallSite,
  control: CallControl,
): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        throw unexpectedBodyError(site, `it is larger than ${maxBytes} bytes`);
      }
      text += decoder.decode(value, { stream: true });
    }
    return text + decoder.decode();
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw control.failure(error);
  } finally {
    reader.releaseLock();
  }
}

/** A credential as a header value; fetch's own error would quote it, so refuse it here, unquoted. */
function headerSafe(value: string, field: string): string {
  if (!TOKEN_PATTERN.test(value)) {
    throw new PlugboardError(
      'INVALID_ARGUMENT',
      `${field} must be printable ASCII without spaces (it goes in an HTTP header)`,
      { details: { field } },
    );
  }
  return value;
}

// btoa only takes Latin-1; encode UTF-8 first so any password works.
function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
