import { StringDecoder } from 'node:string_decoder';
import { MAX_LOG_LINE_LENGTH } from '@plugboard/protocol';
import type { HostLogger } from './host-logger.js';
import type { LineRingBuffer } from './line-ring-buffer.js';
import { parseLogLine } from './parse-log-line.js';

/** Longest stderr line forwarded, in characters (the protocol's limit); the rest is dropped. */
export const DEFAULT_MAX_LOG_LINE_LENGTH = MAX_LOG_LINE_LENGTH;

const TRUNCATION_MARK = ' …[truncated]';

/** Options of a `StderrLogForwarder`. */
export interface StderrLogForwarderOptions {
  /** Plugin name attached to every record as `plugin`. */
  readonly plugin: string;
  readonly logger: HostLogger;
  /** Receives every (possibly cut) line, for error messages. */
  readonly tail: LineRingBuffer;
  readonly maxLineLength?: number;
  /** Extra fields on every record, e.g. `pid`. */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/**
 * Splits a plugin's stderr into lines and forwards each to the host logger with `plugin: <name>`.
 * A line longer than the limit is cut and the rest of it skipped until the next newline, so a
 * plugin that floods stderr (with or without newlines) holds at most one line in memory.
 */
export class StderrLogForwarder {
  readonly #options: StderrLogForwarderOptions;
  readonly #maxLineLength: number;
  readonly #decoder = new StringDecoder('utf8');
  #pending = '';
  #skippingRest = false;
  #linesSeen = 0;

  constructor(options: StderrLogForwarderOptions) {
    this.#options = options;
    this.#maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LOG_LINE_LENGTH;
  }

  /** Lines forwarded so far. */
  get linesSeen(): number {
    return this.#linesSeen;
  }

  /** Characters buffered for the current unfinished line (at most the line limit). */
  get pendingLength(): number {
    return this.#pending.length;
  }

  /** Feeds a chunk of stderr. */
  write(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.#decoder.write(chunk);
    let start = 0;
    while (start < text.length) {
      const newline = text.indexOf('\n', start);
      const end = newline === -1 ? text.length : newline;
      this.#append(text.slice(start, end));
      if (newline === -1) break;
      this.#finishLine();
      start = newline + 1;
    }
  }

  /** Flushes the last unfinished line. */
  end(): void {
    this.#append(this.#decoder.end());
    if (this.#pending !== '' || this.#skippingRest) this.#finishLine();
  }

  #append(piece: string): void {
    if (this.#skippingRest || piece === '') return;
    const room = this.#maxLineLength - this.#pending.length;
    if (piece.length <= room) {
      this.#pending += piece;
      return;
    }
    this.#pending += piece.slice(0, room) + TRUNCATION_MARK;
    this.#skippingRest = true;
  }

  #finishLine(): void {
    const line = this.#pending.endsWith('\r') ? this.#pending.slice(0, -1) : this.#pending;
    const truncated = this.#skippingRest;
    this.#pending = '';
    this.#skippingRest = false;
    if (line.trim() === '') return;
    this.#linesSeen += 1;
    this.#options.tail.push(line);
    const { level, message, fields } = truncated
      ? { level: 'info' as const, message: line, fields: {} }
      : parseLogLine(line);
    this.#options.logger[level](
      { ...fields, ...this.#options.fields, plugin: this.#options.plugin },
      message,
    );
  }
}
