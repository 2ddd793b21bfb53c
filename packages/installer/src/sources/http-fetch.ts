import { PlugboardError, type ErrorCode } from '@plugboard/core';

/** The `fetch` the installer calls for `https://`, `github://` and `oci://` sources. */
export type InstallerFetch = (url: string, init: RequestInit) => Promise<Response>;

/** How long to wait for response headers, and then for each chunk, by default. */
export const DEFAULT_HTTP_TIMEOUT_MS = 30_000;

/** Largest JSON or manifest document read from a URL, in bytes. */
export const MAX_HTTP_DOCUMENT_BYTES = 4 * 1024 * 1024;

/** Options of one HTTP request. */
export interface HttpRequest {
  readonly fetch: InstallerFetch;
  readonly timeoutMs: number;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly method?: string | undefined;
  /** What is being fetched, for messages (never holds credentials). */
  readonly subject: string;
  /**
   * Where the `authorization` header may go: with it, redirects are followed here (at most
   * `MAX_REDIRECTS`) and the header is dropped for any URL it refuses, whatever `fetch` does.
   */
  readonly authorizationScope?: ((url: URL) => boolean) | undefined;
}

/** Redirects followed at most when `authorizationScope` is set. */
export const MAX_REDIRECTS = 10;

/** An open response whose body is read with an idle timeout. */
export interface OpenHttpResponse {
  readonly response: Response;
  readonly body: AsyncIterable<Uint8Array>;
  readonly size: number | undefined;
}

/**
 * Sends a request and waits for the headers; anything but 2xx becomes a `PlugboardError` (404
 * `NOT_FOUND`, 401 `UNAUTHENTICATED`, 403 `FORBIDDEN`, 5xx/429 `UNAVAILABLE`, no answer in time
 * `TIMEOUT`, a network failure `UNAVAILABLE`). The body then restarts the timeout on every chunk.
 */
export async function openHttp(url: string, request: HttpRequest): Promise<OpenHttpResponse> {
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), request.timeoutMs);
  const restart = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), request.timeoutMs);
  };
  let response: Response;
  try {
    response =
      request.authorizationScope === undefined
        ? await request.fetch(url, {
            method: request.method ?? 'GET',
            headers: request.headers,
            signal: controller.signal,
            redirect: 'follow',
          })
        : await fetchScoped(url, request, request.authorizationScope, controller.signal);
  } catch (cause) {
    if (cause instanceof PlugboardError) {
      clearTimeout(timer);
      throw cause;
    }
    clearTimeout(timer);
    throw controller.signal.aborted
      ? new PlugboardError(
          'TIMEOUT',
          `${request.subject}: no answer within ${request.timeoutMs} ms`,
          { cause },
        )
      : new PlugboardError(
          'UNAVAILABLE',
          `${request.subject}: cannot connect (${(cause as Error).message}); check the URL and the network`,
          { cause },
        );
  }
  if (!response.ok) {
    clearTimeout(timer);
    await response.body?.cancel().catch(() => undefined);
    throw statusError(response.status, request.subject);
  }
  const reader = response.body?.getReader();
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let complete = false;
    try {
      if (reader === undefined) return;
      for (;;) {
        restart();
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await reader.read();
        } catch (cause) {
          throw controller.signal.aborted
            ? new PlugboardError(
                'TIMEOUT',
                `${request.subject}: the download stalled for ${request.timeoutMs} ms`,
                { cause },
              )
            : new PlugboardError(
                'UNAVAILABLE',
                `${request.subject}: the download broke off (${(cause as Error).message}); retry`,
                { cause },
              );
        }
        if (next.done) break;
        yield next.value;
      }
      complete = true;
    } finally {
      clearTimeout(timer);
      if (!complete) await reader?.cancel().catch(() => undefined);
    }
  }
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  return {
    response,
    body: { [Symbol.asyncIterator]: chunks },
    size: Number.isSafeInteger(length) && length >= 0 ? length : undefined,
  };
}

/**
 * Follows redirects by hand so the `authorization` header reaches only URLs `scope` accepts (a
 * GitHub asset redirects to a signed storage URL that must not see the token).
 */
async function fetchScoped(
  url: string,
  request: HttpRequest,
  scope: (url: URL) => boolean,
  signal: AbortSignal,
): Promise<Response> {
  let next = new URL(url);
  for (let hop = 0; ; hop += 1) {
    const headers = Object.fromEntries(
      Object.entries(request.headers ?? {}).filter(
        ([name]) => name.toLowerCase() !== 'authorization' || scope(next),
      ),
    );
    const response = await request.fetch(next.href, {
      method: request.method ?? 'GET',
      headers,
      signal,
      redirect: 'manual',
    });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status > 399 || location === null) return response;
    await response.body?.cancel().catch(() => undefined);
    if (hop >= MAX_REDIRECTS) {
      throw new PlugboardError(
        'UNAVAILABLE',
        `${request.subject}: more than ${MAX_REDIRECTS} redirects; check the URL`,
      );
    }
    next = new URL(location, next);
  }
}

/** Reads a whole (small) document from a URL; refuses one larger than `MAX_HTTP_DOCUMENT_BYTES`. */
export async function readHttpText(
  url: string,
  request: HttpRequest,
): Promise<{ text: string; response: Response }> {
  const open = await openHttp(url, request);
  return {
    text: (await collect(open.body, request.subject)).toString('utf8'),
    response: open.response,
  };
}

/** Reads a whole (small) JSON document from a URL. */
export async function readHttpJson(url: string, request: HttpRequest): Promise<unknown> {
  const { text } = await readHttpText(url, request);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new PlugboardError('UNAVAILABLE', `${request.subject}: the answer is not JSON`, {
      cause,
    });
  }
}

/** Gathers a body up to `MAX_HTTP_DOCUMENT_BYTES`. */
export async function collect(body: AsyncIterable<Uint8Array>, subject: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_HTTP_DOCUMENT_BYTES) {
      throw new PlugboardError(
        'PAYLOAD_TOO_LARGE',
        `${subject}: larger than ${MAX_HTTP_DOCUMENT_BYTES} bytes, which is too large for a document`,
      );
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** The error for an HTTP status that is not 2xx. */
export function statusError(status: number, subject: string): PlugboardError {
  const code: ErrorCode =
    status === 404
      ? 'NOT_FOUND'
      : status === 401
        ? 'UNAUTHENTICATED'
        : status === 403
          ? 'FORBIDDEN'
          : status === 429 || status >= 500 || status === 408
            ? 'UNAVAILABLE'
            : 'INTERNAL';
  const hint =
    code === 'NOT_FOUND'
      ? 'check the URL, tag or name'
      : code === 'UNAUTHENTICATED' || code === 'FORBIDDEN'
        ? 'check the credentials in the client config'
        : 'retry later';
  return new PlugboardError(code, `${subject}: HTTP ${status}; ${hint}`, { details: { status } });
}
