import type { Readable } from 'node:stream';
import { MAX_CONFIG_LINE_LENGTH } from '@plugboard/protocol/defaults';

/**
 * The plugin's stdin: the host writes one configuration line and then keeps it open for as long
 * as it lives, so end-of-file means the host is gone. Later data is read and ignored, because an
 * unread pipe would hide that end-of-file.
 */
export class StdinChannel {
  private buffered = '';
  private lineWaiters: ((line: string | undefined) => void)[] = [];
  private firstLine: string | undefined;
  private gotFirstLine = false;
  private ended = false;
  private tooLong = false;
  private endListeners: (() => void)[] = [];

  constructor(
    private readonly input: Readable,
    private readonly maxLineLength = MAX_CONFIG_LINE_LENGTH,
  ) {
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => this.onData(chunk));
    input.on('end', () => this.onEnd());
    input.on('close', () => this.onEnd());
    input.on('error', () => this.onEnd());
  }

  /**
   * Resolves with the first line (without its newline; text cut off by end-of-file counts as a
   * line), or `undefined` when stdin ended before any text or the line was over the limit
   * (`firstLineTooLong` tells which).
   */
  readFirstLine(): Promise<string | undefined> {
    if (this.gotFirstLine || this.ended) return Promise.resolve(this.firstLine);
    return new Promise((resolve) => this.lineWaiters.push(resolve));
  }

  /** Calls `listener` once when stdin reaches end-of-file (at once if it already has). */
  onEnd(listener?: () => void): void {
    if (listener !== undefined) {
      if (this.ended) listener();
      else this.endListeners.push(listener);
      return;
    }
    if (this.ended) return;
    this.ended = true;
    if (!this.gotFirstLine) {
      this.settleFirstLine(this.buffered.trim() === '' ? undefined : this.buffered);
      this.buffered = '';
    }
    for (const waiting of this.endListeners.splice(0)) waiting();
  }

  /** True when stdin has ended. */
  get hasEnded(): boolean {
    return this.ended;
  }

  /** Stops reading, so the process can exit. */
  close(): void {
    this.input.pause();
    this.input.destroy();
  }

  private onData(chunk: string): void {
    if (this.gotFirstLine) return;
    this.buffered += chunk;
    const newline = this.buffered.indexOf('\n');
    if (newline !== -1) {
      this.settleFirstLine(this.buffered.slice(0, newline).replace(/\r$/, ''));
      this.buffered = '';
    } else if (this.buffered.length > this.maxLineLength) {
      this.buffered = '';
      this.settleFirstLine(undefined, true);
    }
  }

  /** True when the first line was dropped for being over the limit. */
  get firstLineTooLong(): boolean {
    return this.tooLong;
  }

  private settleFirstLine(line: string | undefined, tooLong = false): void {
    if (this.gotFirstLine) return;
    this.gotFirstLine = true;
    this.tooLong = tooLong;
    this.firstLine = line;
    for (const waiting of this.lineWaiters.splice(0)) waiting(line);
  }
}
