import { PlugboardError, isErrorCode } from '@plugboard/core';

/** How long one inventory API call may take when the config gives no timeout, in milliseconds. */
export const DEFAULT_INVENTORY_TIMEOUT_MS = 30_000;

/** Where the inventory API is and how to authenticate to it. */
export interface InventoryTarget {
  /** The API URL (`…/api/v1`), without credentials. */
  readonly url: string;
  /** Sent as `Authorization: Bearer`; never printed. */
  readonly token?: string | undefined;
  readonly basic?: { readonly username: string; readonly password: string } | undefined;
  readonly timeoutMs?: number | undefined;
}

/** Query values; undefined ones are left out. */
export type InventoryQuery = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * A small JSON client for the provider, run and resource routes (`docs/api.md`, seed 004),
 * which `@plugboard/client` does not cover. Error answers become `PlugboardError`s with the
 * server's code; messages name the URL without credentials and never carry a token.
 */
export class InventoryClient {
  readonly #target: InventoryTarget;

  constructor(target: InventoryTarget) {
    this.#target = target;
  }

  /** The API URL (safe to print). */
  get url(): string {
    return this.#target.url;
  }

  /** `GET path?query`: the JSON answer. */
  get(path: string, query: InventoryQuery = {}): Promise<Record<string, unknown>> {
    return this.#call('GET', path, query, undefined);
  }

  /** `POST path` with a JSON body: the JSON answer. */
  post(path: string, body: unknown = {}): Promise<Record<string, unknown>> {
    return this.#call('POST', path, {}, body);
  }

  /** `DELETE path`: the JSON answer, `{}` for 204. */
  delete(path: string): Promise<Record<string, unknown>> {
    return this.#call('DELETE', path, {}, undefined);
  }

  async #call(
    method: string,
    path: string,
    query: InventoryQuery,
    body: unknown,
  ): Promise<Record<string, unknown>> {
    const url = new URL(`${this.#target.url.replace(/\/+$/, '')}${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#target.token !== undefined) headers['authorization'] = `Bearer ${this.#target.token}`;
    else if (this.#target.basic !== undefined) {
      const { username, password } = this.#target.basic;
      headers['authorization'] =
        `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    const where = `${method} ${this.#target.url}${path}`;
    const timeoutMs = this.#target.timeoutMs ?? DEFAULT_INVENTORY_TIMEOUT_MS;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = (error as { name?: unknown } | null)?.name === 'TimeoutError';
      throw new PlugboardError(
        timedOut ? 'TIMEOUT' : 'UNAVAILABLE',
        timedOut
          ? `${where} did not answer within ${timeoutMs} ms`
          : `${where} failed: the registry is unreachable`,
        { cause: error },
      );
    }
    const text = await response.text();
    if (!response.ok) throw errorFromAnswer(where, response.status, text);
    if (text === '') return {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        return parsed as Record<string, unknown>;
      }
    } catch {
      // reported below
    }
    throw new PlugboardError('INTERNAL', `${where} answered with a body that is not a JSON object`);
  }
}

/** The server's `{error: {code, message, details}}` as a `PlugboardError`. */
function errorFromAnswer(where: string, status: number, text: string): PlugboardError {
  let answer: { code?: unknown; message?: unknown; details?: unknown } | undefined;
  try {
    answer = (JSON.parse(text) as { error?: typeof answer }).error;
  } catch {
    answer = undefined;
  }
  const code = answer?.code;
  if (typeof code === 'string' && isErrorCode(code)) {
    const details =
      typeof answer?.details === 'object' && answer.details !== null
        ? (answer.details as Record<string, unknown>)
        : {};
    return new PlugboardError(
      code,
      typeof answer?.message === 'string' ? answer.message : `${code} from ${where}`,
      { details: { ...details, status } },
    );
  }
  return new PlugboardError(
    status >= 500 || status === 408 || status === 429 ? 'UNAVAILABLE' : 'INTERNAL',
    `${where} answered HTTP ${status} without a Plugboard error body`,
    { details: { status } },
  );
}
