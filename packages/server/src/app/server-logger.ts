import pino, { type Logger, type LoggerOptions } from 'pino';
import { BatchedLogStream } from './batched-log-stream.js';

/** What `startServer` is told about logging: nothing, the defaults, or pino options. */
export type ServerLoggerOption = boolean | LoggerOptions;

/** Lines are written in batches of this many characters at least… */
const LOG_BATCH_CHARS = 8192;
/** …or at this interval, so a quiet server's lines still appear within a quarter of a second. */
const LOG_FLUSH_INTERVAL_MS = 250;
/** A reader of stdout that stalls makes lines drop past this rather than the heap grow. */
const MAX_UNWRITTEN_BYTES = 16 * 1024 * 1024;

/**
 * The server's one pino logger (requests, MANAGED reloads, plugins, runs), or undefined for none.
 * It writes to stdout in batches, asynchronously: under load the access log costs one write per
 * batch of lines instead of one per line. `close` writes out what is waiting; so does the
 * process's exit.
 */
export function createServerLogger(
  level: string,
  option: ServerLoggerOption,
): { logger: Logger | undefined; close: () => void } {
  if (option === false) return { logger: undefined, close: () => undefined };
  const stdout = pino.destination({ dest: 1, sync: false, maxLength: MAX_UNWRITTEN_BYTES });
  const stream = new BatchedLogStream(stdout, {
    batchChars: LOG_BATCH_CHARS,
    flushIntervalMs: LOG_FLUSH_INTERVAL_MS,
  });
  const flushAtExit = (): void => quietly(() => stream.flushSync());
  process.once('exit', flushAtExit);
  const logger = pino({ level, ...(typeof option === 'object' ? option : {}) }, stream);
  return {
    logger,
    close: () => {
      process.off('exit', flushAtExit);
      quietly(() => stream.end());
    },
  };
}

/** Runs a final write; stdout already closed (EPIPE) leaves nothing to save and is no failure. */
function quietly(write: () => void): void {
  try {
    write();
  } catch {
    // Nothing left to save.
  }
}
