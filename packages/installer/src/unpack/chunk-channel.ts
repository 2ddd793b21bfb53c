/** Chunks a channel buffers before the writer waits for the reader, in bytes. */
const DEFAULT_CHANNEL_BYTES = 8 * 1024 * 1024;

/**
 * Hands chunks from one writer to one reader as an `AsyncIterable`, with backpressure: `push`
 * waits while more than `maxBytes` are buffered. When the reader stops (it finished early or
 * failed), `push` rejects with `stopped` so the writer stops too.
 */
export class ChunkChannel implements AsyncIterable<Uint8Array> {
  readonly #queue: Uint8Array[] = [];
  #buffered = 0;
  #ended = false;
  #failure: Error | undefined;
  #readerStopped: Error | undefined;
  #wakeReader: (() => void) | undefined;
  #wakeWriter: (() => void) | undefined;

  constructor(private readonly maxBytes = DEFAULT_CHANNEL_BYTES) {}

  /** Queues a chunk; waits while the buffer is full. Rejects once the reader has stopped. */
  async push(chunk: Uint8Array): Promise<void> {
    this.#throwIfStopped();
    this.#queue.push(chunk);
    this.#buffered += chunk.length;
    this.#wake();
    while (this.#buffered > this.maxBytes && this.#readerStopped === undefined) {
      await new Promise<void>((resolve) => (this.#wakeWriter = resolve));
    }
    this.#throwIfStopped();
  }

  #throwIfStopped(): void {
    if (this.#readerStopped !== undefined) throw this.#readerStopped;
  }

  /** No more chunks. */
  end(): void {
    this.#ended = true;
    this.#wake();
  }

  /** The writer failed: the reader's next read throws `error`. */
  fail(error: unknown): void {
    this.#failure = asError(error);
    this.#ended = true;
    this.#wake();
  }

  /** The reader gave up (with `reason`): pending and later pushes reject with it. */
  stop(reason: unknown): void {
    this.#readerStopped = asError(reason);
    this.#queue.length = 0;
    this.#buffered = 0;
    this.#wakeWriter?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      const chunk = this.#queue.shift();
      if (chunk !== undefined) {
        this.#buffered -= chunk.length;
        if (this.#buffered <= this.maxBytes) this.#wakeWriter?.();
        yield chunk;
        continue;
      }
      if (this.#failure !== undefined) throw this.#failure;
      if (this.#ended) return;
      await new Promise<void>((resolve) => (this.#wakeReader = resolve));
    }
  }

  #wake(): void {
    const wake = this.#wakeReader;
    this.#wakeReader = undefined;
    wake?.();
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
