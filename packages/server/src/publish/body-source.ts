/**
 * A request body read through one iterator that is never closed by a reader stopping early: after
 * a refusal the route drains what is left, so the client still reads the error response on a
 * healthy connection instead of a reset.
 */
export class BodySource implements AsyncIterable<Uint8Array> {
  private readonly iterator: AsyncIterator<Uint8Array>;
  /** Bytes read so far, by any reader. */
  bytesRead = 0;
  private done = false;

  constructor(stream: AsyncIterable<Uint8Array>) {
    this.iterator = stream[Symbol.asyncIterator]();
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    // No `return`: a `for await` that breaks leaves the stream open for `drain`.
    return { next: () => this.next() };
  }

  /**
   * Reads and discards the rest, up to `maxBytes` more; true when the body ended. A body that
   * fails or runs past the cap returns false (the connection should be closed then).
   */
  async drain(maxBytes: number): Promise<boolean> {
    const stop = this.bytesRead + maxBytes;
    try {
      while (!this.done) {
        if (this.bytesRead > stop) return false;
        await this.next();
      }
      return true;
    } catch {
      return false;
    }
  }

  private async next(): Promise<IteratorResult<Uint8Array>> {
    if (this.done) return { done: true, value: undefined };
    const result = await this.iterator.next();
    if (result.done === true) this.done = true;
    else this.bytesRead += result.value.byteLength;
    return result;
  }
}
