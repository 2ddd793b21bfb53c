/** Fields attached to one log record. */
export type LogFields = Record<string, unknown>;

/** One logging method, pino-style: fields first, then the message. */
export type LogMethod = (fields: LogFields, message?: string) => void;

/**
 * The logger the host writes to. Any pino logger fits; so does a plain object with these four
 * methods. The host never uses `console`.
 */
export interface HostLogger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

/** A log level the host forwards at. */
export type LogLevel = keyof HostLogger;

/** The default logger: discards everything. */
export const SILENT_LOGGER: HostLogger = Object.freeze({
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
});
