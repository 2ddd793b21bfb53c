import type { LogFields, LogLevel } from './host-logger.js';

/** One stderr line read as a log record. */
export interface ParsedLogLine {
  readonly level: LogLevel;
  readonly message: string;
  /** The other fields of a JSON record (never `level`, `msg`, `message`). */
  readonly fields: LogFields;
}

const NAMED_LEVELS: Readonly<Record<string, LogLevel>> = {
  trace: 'debug',
  debug: 'debug',
  info: 'info',
  notice: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  fatal: 'error',
  critical: 'error',
};

/**
 * Reads one stderr line: a JSON object `{"level","msg",…}` (named levels or pino's numbers) gives
 * its level, message and fields; anything else is plain text at level info.
 */
export function parseLogLine(line: string): ParsedLogLine {
  const trimmed = line.trim();
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
    let record: unknown;
    try {
      record = JSON.parse(trimmed);
    } catch {
      record = undefined;
    }
    if (typeof record === 'object' && record !== null && !Array.isArray(record)) {
      const { level, msg, message, ...fields } = record as Record<string, unknown>;
      const text = typeof msg === 'string' ? msg : typeof message === 'string' ? message : '';
      return { level: toLevel(level), message: text, fields };
    }
  }
  return { level: 'info', message: line, fields: {} };
}

function toLevel(value: unknown): LogLevel {
  if (typeof value === 'string') return NAMED_LEVELS[value.toLowerCase()] ?? 'info';
  // pino's numeric levels: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal.
  if (typeof value === 'number') {
    if (value >= 50) return 'error';
    if (value >= 40) return 'warn';
    if (value >= 30) return 'info';
    return 'debug';
  }
  return 'info';
}
