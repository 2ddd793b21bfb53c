/**
 * Regroups a stream of chunks into blocks of at least `blockBytes` (the last may be smaller).
 * A network download arrives in 16–64 KiB pieces; handing each to the hash, the decompressor and
 * the disk separately costs a thread-pool round trip per piece, so they are joined first
 * (chunks already that large pass through without a copy).
 */
export async function* inBlocks(
  source: AsyncIterable<Uint8Array>,
  blockBytes: number,
): AsyncGenerator<Buffer, void, undefined> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of source) {
    if (chunk.byteLength === 0) continue;
    const piece = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (pendingBytes === 0 && piece.length >= blockBytes) {
      yield piece;
      continue;
    }
    pending.push(piece);
    pendingBytes += piece.length;
    if (pendingBytes >= blockBytes) {
      const block = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      yield block;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes);
}
