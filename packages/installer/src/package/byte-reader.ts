/**
 * Pulls exact byte counts out of a stream of chunks, holding at most one chunk plus what a caller
 * asked for (a 512-byte header, a bounded metadata record) in memory.
 */
export class ByteReader {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;
  /** Bytes handed out or skipped so far: the offset of the next byte in the stream. */
  position = 0;

  constructor(private readonly iterator: AsyncIterator<Uint8Array>) {}

  /** Exactly `count` bytes, or fewer when the stream ends first. */
  async readExactly(count: number): Promise<Buffer> {
    while (this.buffered < count && (await this.fill()));
    return this.take(Math.min(count, this.buffered));
  }

  /** Between 1 and `max` bytes, or undefined at the end of the stream. */
  async readSome(max: number): Promise<Buffer | undefined> {
    if (this.buffered === 0 && !(await this.fill())) return undefined;
    return this.take(Math.min(max, this.buffered));
  }

  /** Drops `count` bytes; returns how many there were. */
  async skip(count: number): Promise<number> {
    let skipped = 0;
    while (skipped < count) {
      const chunk = await this.readSome(count - skipped);
      if (chunk === undefined) break;
      skipped += chunk.length;
    }
    return skipped;
  }

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    for (;;) {
      const result = await this.iterator.next();
      if (result.done === true) {
        this.ended = true;
        return false;
      }
      if (result.value.byteLength === 0) continue;
      const chunk = Buffer.from(
        result.value.buffer,
        result.value.byteOffset,
        result.value.byteLength,
      );
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      return true;
    }
  }

  private take(count: number): Buffer {
    const parts: Buffer[] = [];
    let needed = count;
    while (needed > 0) {
      const head = this.chunks[0];
      if (head === undefined) break;
      if (head.length <= needed) {
        parts.push(head);
        this.chunks.shift();
        needed -= head.length;
      } else {
        parts.push(head.subarray(0, needed));
        this.chunks[0] = head.subarray(needed);
        needed = 0;
      }
    }
    this.buffered -= count;
    this.position += count;
    return parts.length === 1 && parts[0] !== undefined ? parts[0] : Buffer.concat(parts, count);
  }
}
