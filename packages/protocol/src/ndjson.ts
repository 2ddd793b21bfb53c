import { DEFAULT_MAX_NDJSON_LINE_LENGTH } from './defaults.js';
import { parseJsonText } from './json-shape.js';
import { ProtocolError, type ProtocolErrorCode } from './protocol-error.js';

/** Options of `NdjsonLineSplitter`. */
export interface NdjsonLineSplitterOptions {
  /** Longest line accepted, in characters (without the newline); longer throws `PAYLOAD_TOO_LARGE`. */
  readonly maxLineLength?: number;
}

/**
 * Splits text arriving in arbitrary chunks into lines, incrementally and without I/O: feed decoded
 * chunks to `push`, then call `end` once. `\n` ends a line, a `\r` before it is dropped, and blank
 * lines are skipped. A line over `maxLineLength` throws as soon as it is known to be too long, so a
 * peer that never sends a newline cannot grow memory without bound.
 *
 * @example
 * const splitter = new NdjsonLineSplitter();
 * splitter.push('{"a":1}\n{"b"'); // ['{"a":1}']
 * splitter.push(':2}\n');          // ['{"b":2}']
 * splitter.end();                  // []
 */
export class NdjsonLineSplitter {
  readonly maxLineLength: number;
  private pending = '';
  private ended = false;

  constructor(options: NdjsonLineSplitterOptions = {}) {
    this.maxLineLength = options.maxLineLength ?? DEFAULT_MAX_NDJSON_LINE_LENGTH;
    if (!(Number.isSafeInteger(this.maxLineLength) && this.maxLineLength > 0)) {
      throw new RangeError(`maxLineLength must be a positive integer, got ${this.maxLineLength}`);
    }
  }

  /** Adds a chunk and returns the lines it completed. */
  push(chunk: string): string[] {
    if (this.ended) throw new Error('NdjsonLineSplitter.push called after end()');
    const lines: string[] = [];
    let start = 0;
    let newline = chunk.indexOf('\n');
    while (newline !== -1) {
      const line = this.pending + chunk.slice(start, newline);
      this.checkLength(line.length - (line.endsWith('\r') ? 1 : 0));
      this.emit(line, lines);
      this.pending = '';
      start = newline + 1;
      newline = chunk.indexOf('\n', start);
    }
    const rest = chunk.slice(start);
    // A trailing `\r` may belong to a `\r\n` split across chunks, so allow one extra character.
    this.checkLength(this.pending.length + rest.length - (rest.endsWith('\r') ? 1 : 0));
    this.pending += rest;
    return lines;
  }

  /** Ends the input and returns the last line when it had no newline. */
  end(): string[] {
    this.ended = true;
    const lines: string[] = [];
    this.emit(this.pending, lines);
    this.pending = '';
    return lines;
  }

  /** Characters held for an unfinished line. */
  get pendingLength(): number {
    return this.pending.length;
  }

  private emit(line: string, lines: string[]): void {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (text.trim() !== '') lines.push(text);
  }

  private checkLength(length: number): void {
    if (length > this.maxLineLength) {
      throw new ProtocolError(
        'PAYLOAD_TOO_LARGE',
        `an NDJSON line is longer than ${this.maxLineLength} characters`,
        { problems: [{ path: '', message: `line exceeds ${this.maxLineLength} characters` }] },
      );
    }
  }
}

/**
 * Parses one NDJSON line. Throws `code` (by default `PLUGIN_PROTOCOL_ERROR`: a plugin streamed
 * something that is not JSON).
 */
export function parseNdjsonLine(
  line: string,
  code: ProtocolErrorCode = 'PLUGIN_PROTOCOL_ERROR',
): unknown {
  return parseJsonText(line, 'NDJSON line', code);
}

/**
 * Formats one value as an NDJSON line, newline included. `JSON.stringify` escapes newlines inside
 * strings, so the result is always exactly one line. Throws a `TypeError` for values JSON cannot
 * represent at the top level (`undefined`, functions, symbols).
 */
export function formatNdjsonLine(value: unknown): string {
  const text = JSON.stringify(value);
  if (typeof text !== 'string') {
    throw new TypeError(`an NDJSON line must hold a JSON value, got ${typeof value}`);
  }
  return `${text}\n`;
}

/**
 * Turns a stream of decoded text chunks into parsed JSON values, one per line. The stream's error
 * line is yielded like any value: callers check it with `isStreamErrorLine`.
 */
export async function* ndjsonValues(
  chunks: AsyncIterable<string> | Iterable<string>,
  options: NdjsonLineSplitterOptions = {},
): AsyncGenerator<unknown, void, undefined> {
  const splitter = new NdjsonLineSplitter(options);
  for await (const chunk of chunks) {
    for (const line of splitter.push(chunk)) yield parseNdjsonLine(line);
  }
  for (const line of splitter.end()) yield parseNdjsonLine(line);
}
