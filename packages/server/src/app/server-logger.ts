import pino, { type Logger, type LoggerOptions } from 'pino';

/** What `startServer` is told about logging: nothing, the defaults, or pino options. */
export type ServerLoggerOption = boolean | LoggerOptions;

/** Lines are written in batches of this many bytes at least… */
const LOG_BATCH_BYTES = 8192;
/** …or at this interval, so a quiet server's lines still appear within a quarter of a second. */
const LOG_FLUSH_INTERVAL_MS = 250;

/**
 * The server's one pino logger (requests, MANAGED reloads, plugins, runs), or undefined for none.
 * It writes to stdout through an asynchronous buffer: under load the access log costs one write
 * per batch of lines instead of one per line. `flush` writes out what is buffered (on close).
 */
export function createServerLogger(
  level: string,
  option: ServerLoggerOption,
): { logger: Logger | undefined; flush: () => void } {
  if (option === false) return { logger: undefined, flush: () => undefined };
  // A reader of stdout that stalls makes lines drop past 16 MiB rather than the heap grow.
  const destination = pino.destination({
    dest: 1,
    sync: false,
    minLength: LOG_BATCH_BYTES,
    periodicFlush: LOG_FLUSH_INTERVAL_MS,
    maxLength: 16 * 1024 * 1024,
  });
  const logger = pino({ level, ...(typeof option === 'object' ? option : {}) }, destination);
  return {
    logger,
    flush: () => {
      try {
        destination.flushSync();
      } catch {
        // Nothing buffered, or stdout already closed: nothing left to save.
      }
    },
  };
}
