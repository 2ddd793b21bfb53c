/** Fields attached to one log record. */
export type LogFields = Record<string, unknown>;

/** One logging method, pino-style: fields first, then the message. */
export type LogMethod = (fields: LogFields, message?: string) => void;

/** The logger the store writes to. Any pino logger fits; the store never uses `console`. */
export interface StoreLogger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

/** The default logger: discards everything. */
export const SILENT_STORE_LOGGER: StoreLogger = Object.freeze({
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
});
