import type { ServerResponse } from 'node:http';
import { isStreamErrorLine } from '@plugboard/protocol/error-body';
import { NDJSON_CONTENT_TYPE } from '@plugboard/protocol/headers';
import { formatNdjsonLine } from '@plugboard/protocol/ndjson';
import { errorToBody, PluginError, type AbortReason } from '../plugin-error.js';
import type { PluginLogger } from '../plugin-logger.js';

/** Resolves when `response` can take more data, or when it closed (the caller went away). */
function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

function toAsyncIterator(
  values: AsyncIterable<unknown> | Iterable<unknown>,
): AsyncIterator<unknown> | Iterator<unknown> {
  if (typeof (values as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    return (values as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  }
  if (typeof (values as Iterable<unknown>)[Symbol.iterator] === 'function') {
    return (values as Iterable<unknown>)[Symbol.iterator]();
  }
  throw new PluginError(
    'PLUGIN_CALL_FAILED',
    'a streamed endpoint must return an async generator or an iterable',
  );
}

function lineFor(value: unknown): string {
  if (isStreamErrorLine(value)) {
    // The error line is the only stream value with a top-level `error` key; a result shaped like
    // it would be read as a failure, so it is refused instead of sent.
    throw new PluginError(
      'PLUGIN_CALL_FAILED',
      'a streamed value has a top-level "error" key, which is reserved for the error line',
    );
  }
  try {
    return formatNdjsonLine(value);
  } catch (error) {
    throw new PluginError(
      'PLUGIN_CALL_FAILED',
      `a streamed value is not JSON-serialisable (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/**
 * Sends what a streamed handler yields as NDJSON. The first value is awaited before the headers
 * go out, so a handler that fails at once gets an ordinary error answer with its status. Each
 * write waits for the socket to drain, so a slow reader slows the generator instead of filling
 * memory. A failure after the first line becomes the final `{"error":…}` line. When the caller
 * goes away the generator is returned (its `finally` blocks run).
 *
 * Returns normally when the stream was sent (or the caller left); throws when nothing was sent yet.
 */
export async function sendNdjsonStream(
  response: ServerResponse,
  values: AsyncIterable<unknown> | Iterable<unknown>,
  abortReason: () => AbortReason | undefined,
  log: PluginLogger,
): Promise<void> {
  const iterator = toAsyncIterator(values);
  const stop = (): void => {
    Promise.resolve(iterator.return?.()).catch((error: unknown) =>
      log.debug({ err: error }, 'stream generator failed while returning'),
    );
  };
  let next = await iterator.next();
  let firstLine = next.done === true ? '' : lineFor(next.value);
  response.writeHead(200, { 'content-type': NDJSON_CONTENT_TYPE, 'cache-control': 'no-store' });
  let count = 0;
  try {
    while (next.done !== true) {
      const line = count === 0 ? firstLine : lineFor(next.value);
      firstLine = '';
      count++;
      if (!response.write(line)) await drained(response);
      if (response.destroyed || abortReason() === 'client-gone') {
        stop();
        log.debug({ lines: count }, 'caller left during the stream');
        return;
      }
      next = await iterator.next();
    }
  } catch (error) {
    const body = errorToBody(error, abortReason());
    log.warn(
      { err: error, code: body.error.code, lines: count },
      'stream failed; sending the error line',
    );
    if (!response.destroyed) response.write(formatNdjsonLine(body));
  }
  response.end();
}
