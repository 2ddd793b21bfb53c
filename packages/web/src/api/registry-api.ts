import { InventoryClient, RegistryClient, type RegistryClientOptions } from '@plugboard/client';
import { currentSession } from '../session/session-store.js';

/** The API prefix on the origin that served the page (the page only talks to its own server). */
export const API_PREFIX = '/api/v1';

/** Timeout of one API call from the page, in milliseconds. */
export const PAGE_REQUEST_TIMEOUT_MS = 30_000;

/** The registry URL of the server that served the page. */
export function registryUrl(): string {
  return `${location.origin}${API_PREFIX}`;
}

/** Client options for this server with `token` (none when signed out). */
function clientOptions(token: string | undefined): RegistryClientOptions {
  return { url: registryUrl(), token, timeoutMs: PAGE_REQUEST_TIMEOUT_MS };
}

let cached:
  { token: string | undefined; registry: RegistryClient; inventory: InventoryClient } | undefined;

/** The clients for this server with the tab's token, made again when the session changes. */
function clients(): NonNullable<typeof cached> {
  const token = currentSession()?.token;
  if (cached === undefined || cached.token !== token) {
    const options = clientOptions(token);
    cached = {
      token,
      registry: new RegistryClient(options),
      inventory: new InventoryClient(options),
    };
  }
  return cached;
}

/** A typed client for this server's plugin catalog, carrying the tab's token when signed in. */
export function registryClient(): RegistryClient {
  return clients().registry;
}

/**
 * A typed client for this server's providers, provider plugins, collection runs and resources,
 * carrying the tab's token when signed in.
 */
export function inventoryClient(): InventoryClient {
  return clients().inventory;
}

/**
 * A client carrying another token than the session's: signing in checks one with `whoami` before
 * keeping it. A token that cannot go in a header fails here as INVALID_ARGUMENT.
 */
export function clientWithToken(token: string): RegistryClient {
  return new RegistryClient(clientOptions(token));
}
