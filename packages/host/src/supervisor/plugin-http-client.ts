import { Agent, request, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { PlugboardError } from '@plugboard/core';
import { JSON_CONTENT_TYPE, type PluginAddress } from '@plugboard/protocol';

/** Most connections the host opens to one plugin process at once; more calls queue. */
export const DEFAULT_MAX_SOCKETS_PER_PLUGIN = 32;

/** Largest non-streamed response body read from a plugin, in bytes. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** One HTTP request to a plugin. */
export interface PluginRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** Sent as JSON when given. */
  readonly body?: unknown;
  readonly headers?: OutgoingHttpHeaders;
  /** Aborting it destroys the request (and the response, once there is one). */
  readonly signal?: AbortSignal;
  /** Like `signal`, without an AbortSignal: subscribes a stop listener, returns the unsubscriber. */
  readonly onStop?: (listener: (reason: Error | undefined) => void) => () => void;
}

/**
 * Speaks HTTP/1.1 to one plugin process over its unix socket (or loopback TCP port) with a
 * keep-alive agent, so concurrent and successive calls reuse connections.
 */
export class PluginHttpClient {
  readonly address: PluginAddress;
  readonly #agent: Agent;

  constructor(address: PluginAddress, maxSockets = DEFAULT_MAX_SOCKETS_PER_PLUGIN) {
    this.address = address;
    this.#agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** Sends a request and resolves with the response head; the body is the caller's to read. */
  send(options: PluginRequest): Promise<IncomingMessage> {
    // A string body goes out with the head in one write; a Buffer would cost a separate chunk.
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const target =
      this.address.kind === 'unix'
        ? { socketPath: this.address.path }
        : { host: this.address.host.replace(/^\[|\]$/g, ''), port: this.address.port };
    return new Promise((resolve, reject) => {
      const req = request({
        ...target,
        agent: this.#agent,
        method: options.method,
        path: options.path,
        headers: {
          accept: `${JSON_CONTENT_TYPE}, application/x-ndjson`,
          ...(payload === undefined
            ? {}
            : {
                'content-type': JSON_CONTENT_TYPE,
                'content-length': Buffer.byteLength(payload),
              }),
          ...options.headers,
        },
      });
      // The signal is followed by hand: `request({signal})` ties it to the request through
      // end-of-stream tracking that costs about a tenth of a millisecond per call.
      const onStop =
        options.onStop ?? (options.signal === undefined ? undefined : signalStops(options.signal));
      let response: IncomingMessage | undefined;
      let unsubscribe: (() => void) | undefined;
      const destroy = (reason: Error | undefined): void => {
        if (response === undefined) req.destroy(abortError(reason));
        else response.destroy(reason);
      };
      req.once('response', (answer) => {
        response = answer;
        if (unsubscribe !== undefined) answer.once('close', unsubscribe);
        resolve(answer);
      });
      if (onStop !== undefined) {
        unsubscribe = onStop(destroy);
        req.once('close', () => {
          if (response === undefined) unsubscribe?.();
        });
      }
      req.once('error', reject);
      req.end(payload);
    });
  }

  /** Closes every connection. */
  close(): void {
    this.#agent.destroy();
  }
}

/** Reads a whole response body as text, failing with `PAYLOAD_TOO_LARGE` past `maxBytes`. */
export function readResponseText(
  response: IncomingMessage,
  subject: string,
  maxBytes = DEFAULT_MAX_RESPONSE_BYTES,
): Promise<string> {
  // Plain listeners rather than `for await`: every call's answer is read here, and the async
  // iterator costs several promise turns per chunk.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > maxBytes) {
        finish();
        response.destroy();
        reject(
          new PlugboardError(
            'PAYLOAD_TOO_LARGE',
            `${subject}: the answer is larger than ${maxBytes} bytes`,
            { details: { maxBytes } },
          ),
        );
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      finish();
      resolve(
        chunks.length === 1
          ? (chunks[0] as Buffer).toString('utf8')
          : Buffer.concat(chunks).toString('utf8'),
      );
    };
    const onError = (error: Error): void => {
      finish();
      reject(error);
    };
    // A response destroyed before its end (an aborted call) emits 'close' without 'end'.
    const onClose = (): void => {
      finish();
      reject(prematureClose(response));
    };
    const finish = (): void => {
      response.off('data', onData);
      response.off('end', onEnd);
      response.off('error', onError);
      response.off('close', onClose);
    };
    if (response.destroyed) {
      reject(prematureClose(response));
      return;
    }
    response.on('data', onData);
    response.once('end', onEnd);
    response.once('error', onError);
    response.once('close', onClose);
  });
}

function signalStops(
  signal: AbortSignal,
): (listener: (reason: Error | undefined) => void) => () => void {
  return (listener) => {
    const onAbort = (): void =>
      listener(signal.reason instanceof Error ? signal.reason : undefined);
    if (signal.aborted) {
      onAbort();
      return () => undefined;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    return () => signal.removeEventListener('abort', onAbort);
  };
}

// What `request({signal})` fails with when its signal fires: an AbortError carrying the reason.
function abortError(cause: Error | undefined): Error {
  return Object.assign(new Error('The operation was aborted', { cause }), {
    name: 'AbortError',
    code: 'ABORT_ERR',
  });
}

function prematureClose(response: IncomingMessage): Error {
  return (
    response.errored ??
    Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' })
  );
}

/** Decoded text chunks of a response body, for the NDJSON reader. */
export async function* responseTextChunks(response: IncomingMessage): AsyncGenerator<string> {
  response.setEncoding('utf8');
  for await (const chunk of response) yield chunk as string;
}
