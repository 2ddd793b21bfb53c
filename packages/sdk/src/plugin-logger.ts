/**
 * A pino-compatible logger: `log.info('msg')` or `log.info({ field: 1 }, 'msg')`. Plugins log to
 * stderr only, because stdout carries the protocol.
 */
export interface PluginLogger {
  debug(fieldsOrMessage: Record<string, unknown> | string, message?: string): void;
  info(fieldsOrMessage: Record<string, unknown> | string, message?: string): void;
  warn(fieldsOrMessage: Record<string, unknown> | string, message?: string): void;
  error(fieldsOrMessage: Record<string, unknown> | string, message?: string): void;
  /** A logger that adds `fields` to every record. */
  child(fields: Record<string, unknown>): PluginLogger;
}

/** Log levels of plugboard/1 stderr records. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Where log lines go; `process.stderr` in a plugin, a collector in tests. */
export interface LineSink {
  write(line: string): unknown;
}

/**
 * A logger writing one JSON record per line (`{"level","msg","time",…}`) to `sink`. Records below
 * `minLevel` are dropped. A field that cannot be serialised is replaced rather than losing the line.
 */
export function createJsonLineLogger(
  sink: LineSink,
  options: { minLevel?: LogLevel; fields?: Record<string, unknown> } = {},
): PluginLogger {
  const minRank = LEVEL_RANK[options.minLevel ?? 'debug'];
  const base = options.fields ?? {};
  const emit = (
    level: LogLevel,
    fieldsOrMessage: Record<string, unknown> | string,
    message?: string,
  ): void => {
    if (LEVEL_RANK[level] < minRank) return;
    const fields = typeof fieldsOrMessage === 'string' ? {} : fieldsOrMessage;
    const msg = typeof fieldsOrMessage === 'string' ? fieldsOrMessage : (message ?? '');
    const record = { level, msg, time: new Date().toISOString(), ...base, ...fields };
    let line: string;
    try {
      line = JSON.stringify(record, errorReplacer);
    } catch {
      line = JSON.stringify({
        level,
        msg,
        time: record.time,
        log_error: 'fields not serialisable',
      });
    }
    sink.write(`${line}\n`);
  };
  return {
    debug: (a, b) => emit('debug', a, b),
    info: (a, b) => emit('info', a, b),
    warn: (a, b) => emit('warn', a, b),
    error: (a, b) => emit('error', a, b),
    child: (fields) => createJsonLineLogger(sink, { ...options, fields: { ...base, ...fields } }),
  };
}

/** Serialises `Error`s as `{name, message, code, stack}` (stderr is for the operator, not the caller). */
function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      name: value.name,
      message: value.message,
      ...(code === undefined ? {} : { code }),
      stack: value.stack,
    };
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** True when `value` names a log level. */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.hasOwn(LEVEL_RANK, value);
}
