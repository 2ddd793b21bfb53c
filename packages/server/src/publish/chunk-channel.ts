/**
 * Hands chunks from one producer to one consumer, one at a time: `push` resolves once the consumer
 * has taken the chunk, so a slow consumer slows the producer (no unbounded buffering). When the
 * consumer stops early, later pushes are dropped instead of waiting forever.
 */
export class ChunkChannel implements AsyncIterable<Uint8Array> {
  private slot: Uint8Array | undefined;
  private taken: (() => void) | undefined;
  private wake: (() => void) | undefined;
  private ended = false;
  private failure: { error: unknown } | undefined;
  private consumerGone = false;

  /** Offers a chunk; resolves when the consumer took it or went away. */
  async push(chunk: Uint8Array): Promise<void> {
    if (this.consumerGone || this.ended) return;
    await new Promise<void>((resolve) => {
      this.slot = chunk;
      this.taken = resolve;
      this.signal();
    });
  }

  /** No more chunks: the consumer sees the end. */
  end(): void {
    this.ended = true;
    this.signal();
  }

  /** The producer failed: the consumer's next read throws `error`. */
  fail(error: unknown): void {
    this.failure ??= { error };
    this.signal();
  }

  /** True once the consumer stopped reading (finished early or failed). */
  get closed(): boolean {
    return this.consumerGone;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: async () => {
        for (;;) {
          if (this.slot !== undefined) {
            const value = this.slot;
            this.slot = undefined;
            this.release();
            return { done: false, value };
          }
          if (this.failure !== undefined) throw this.failure.error;
          if (this.ended) return { done: true, value: undefined };
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
        }
      },
      return: async () => {
        this.consumerGone = true;
        this.slot = undefined;
        this.release();
        return { done: true, value: undefined };
      },
    };
  }

  private release(): void {
    const taken = this.taken;
    this.taken = undefined;
    taken?.();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
