import {
  RegistryTransport,
  type BasicCredentials,
  type FetchFunction,
} from './transport/registry-transport.js';

/** Timeout of one call when the options give none, in milliseconds. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Largest JSON answer the client reads, in bytes (a hostile registry cannot exhaust memory). */
export const DEFAULT_MAX_JSON_RESPONSE_BYTES = 64 * 1024 * 1024;

/** How to reach a registry (the options of `RegistryClient` and `InventoryClient`). */
export interface RegistryClientOptions {
  /** The registry URL, e.g. `http://127.0.0.1:7400/api/v1`; `user:password@` becomes Basic auth. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>`; it never appears in errors. */
  readonly token?: string | undefined;
  /** Sent as `X-API-Key: <key>` (client config `auth.type: api_key`); it never appears in errors. */
  readonly apiKey?: string | undefined;
  /** Sent as HTTP Basic when no token is given. */
  readonly basic?: BasicCredentials | undefined;
  /** Per-call timeout in milliseconds; defaults to `DEFAULT_REQUEST_TIMEOUT_MS`. */
  readonly timeoutMs?: number | undefined;
  /** Defaults to the global `fetch`. */
  readonly fetch?: FetchFunction | undefined;
  /** Defaults to `DEFAULT_MAX_JSON_RESPONSE_BYTES`. */
  readonly maxJsonBytes?: number | undefined;
}

/** The transport both clients send through, with the defaults filled in. */
export function openTransport(options: RegistryClientOptions): RegistryTransport {
  return new RegistryTransport({
    url: options.url,
    token: options.token,
    apiKey: options.apiKey,
    basic: options.basic,
    timeoutMs: options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    fetch: options.fetch ?? ((url, init) => fetch(url, init)),
    maxJsonBytes: options.maxJsonBytes ?? DEFAULT_MAX_JSON_RESPONSE_BYTES,
  });
}
