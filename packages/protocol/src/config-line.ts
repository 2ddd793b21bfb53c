import { MAX_CONFIG_LINE_LENGTH } from './defaults.js';
import { isJsonObject, jsonTypeName, parseJsonText, ProblemList } from './json-shape.js';
import { ProtocolError, protocolProblemsError } from './protocol-error.js';

/**
 * The one line a host writes on a serving plugin's stdin. Configuration may hold secrets, so it
 * travels here and never on argv; parse errors never echo it.
 */
export interface StdinConfigLine {
  /** The plugin's configuration (validated by the plugin against its `config_schema`). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Exit after this many ms with no call in flight and none received; 0 = never. */
  readonly idle_timeout_ms: number;
  readonly [extra: string]: unknown;
}

/**
 * Parses the stdin configuration line. `config` defaults to `{}` and `idle_timeout_ms` to 0 (none)
 * when absent. Throws `INVALID_ARGUMENT` listing every problem; the line's text is never echoed.
 */
export function parseConfigLine(line: string): StdinConfigLine {
  if (line.length > MAX_CONFIG_LINE_LENGTH) {
    throw new ProtocolError(
      'PAYLOAD_TOO_LARGE',
      `stdin configuration line is ${line.length} characters; at most ${MAX_CONFIG_LINE_LENGTH} are read`,
    );
  }
  const value = parseJsonText(line.trim(), 'stdin configuration line', 'INVALID_ARGUMENT', false);
  if (!isJsonObject(value)) {
    throw protocolProblemsError('INVALID_ARGUMENT', 'stdin configuration line', [
      { path: '', message: `must be a JSON object, got ${jsonTypeName(value)}` },
    ]);
  }
  const problems = new ProblemList();
  const config = problems.optionalObject(value, 'config', '') ?? {};
  const idle = value['idle_timeout_ms'];
  if (
    idle !== undefined &&
    !(typeof idle === 'number' && Number.isSafeInteger(idle) && idle >= 0)
  ) {
    problems.add('idle_timeout_ms', 'must be an integer ≥ 0 (0 = no idle timeout)');
  }
  if (!problems.empty) {
    throw protocolProblemsError('INVALID_ARGUMENT', 'stdin configuration line', problems.problems);
  }
  return { ...value, config, idle_timeout_ms: typeof idle === 'number' ? idle : 0 };
}

/** Formats the stdin configuration line a host writes, newline included. */
export function formatConfigLine(line: {
  config: Readonly<Record<string, unknown>>;
  idle_timeout_ms: number;
}): string {
  return `${JSON.stringify({ config: line.config, idle_timeout_ms: line.idle_timeout_ms })}\n`;
}
