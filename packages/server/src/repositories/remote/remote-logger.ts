/** The logger REMOTE repositories write to: pino's and Fastify's loggers fit. Never given tokens. */
export interface RemoteLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/** A logger that drops everything (the default: libraries never use `console`). */
export const SILENT_REMOTE_LOGGER: RemoteLogger = {
  info: () => {},
  warn: () => {},
};
