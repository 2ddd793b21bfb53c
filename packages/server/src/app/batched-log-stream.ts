/** Where batches go: a pino destination (sonic-boom), which handles partial writes and EAGAIN. */
export interface LogDestination {
  write(text: string): unknown;
  flushSync(): void;
}

/** Options of `BatchedLogStream`. */
export interface BatchedLogStreamOptions {
  /** Lines are handed on once this many characters are waiting… */
  readonly batchChars: number;
  /** …or at this interval, so a quiet server's lines still appear promptly. */
  readonly flushIntervalMs: number;
}

/**
 * Gathers log lines and hands them to the destination joined, a batch at a time. A pino
 * destination measures the UTF-8 length of its whole pending buffer on every write, so feeding
 * it line by line costs ~2.5 µs per line once the buffer holds a few KiB — more than the rest of
 * a cached read's logging; here a line costs an array push. `flushSync` writes everything out
 * (on close and at process exit).
 */
export class BatchedLogStream {
  readonly #destination: LogDestination;
  readonly #batchChars: number;
  readonly #timer: ReturnType<typeof setInterval>;
  #lines: string[] = [];
  #chars = 0;

  constructor(destination: LogDestination, options: BatchedLogStreamOptions) {
    this.#destination = destination;
    this.#batchChars = options.batchChars;
    this.#timer = setInterval(() => this.#handOn(), options.flushIntervalMs);
    this.#timer.unref();
  }

  write(line: string): void {
    this.#lines.push(line);
    this.#chars += line.length;
    if (this.#chars >= this.#batchChars) this.#handOn();
  }

  /** Hands on what is waiting and has the destination write everything now. */
  flushSync(): void {
    this.#handOn();
    this.#destination.flushSync();
  }

  /** Flushes and stops the timer. */
  end(): void {
    clearInterval(this.#timer);
    this.flushSync();
  }

  #handOn(): void {
    if (this.#lines.length === 0) return;
    const text = this.#lines.join('');
    this.#lines = [];
    this.#chars = 0;
    this.#destination.write(text);
  }
}
