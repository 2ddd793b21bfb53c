import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { PlugboardError } from '@plugboard/core';
import { HASH_CHUNK_BYTES } from './sha256-digest.js';

/** Progress of one transfer, reported after each chunk. */
export interface TransferProgress {
  /** What is being transferred (`echo@1.2.0`). */
  readonly subject: string;
  readonly bytes: number;
  /** Total size when known. */
  readonly total: number | undefined;
}

/** Options of `saveHashed`. */
export interface SaveHashedOptions {
  /** For messages and progress. */
  readonly subject: string;
  /** Refuse the download once it grows past this many bytes. */
  readonly maxBytes: number;
  /** Announced size, for progress only (the bytes decide). */
  readonly expectedSize?: number | undefined;
  readonly onProgress?: ((progress: TransferProgress) => void) | undefined;
}

/** What `saveHashed` wrote. */
export interface SavedFile {
  readonly digest: string;
  readonly size: number;
}

/**
 * Streams `source` into a new file at `path` (which must not exist), computing its sha256 on the
 * way; with `path` undefined it only hashes (nothing keeps the package). Network chunks are
 * gathered into 1 MiB blocks before hashing and writing: fewer, larger calls are what make hashing
 * fast. Not fsynced: a staged download is thrown away after a crash, never trusted. Throws
 * `PAYLOAD_TOO_LARGE` past `maxBytes`.
 */
export async function saveHashed(
  source: AsyncIterable<Uint8Array>,
  path: string | undefined,
  options: SaveHashedOptions,
): Promise<SavedFile> {
  const hash = createHash('sha256');
  const file = path === undefined ? undefined : await open(path, 'wx', 0o600);
  let size = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async (): Promise<void> => {
    if (pendingBytes === 0) return;
    const block = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    hash.update(block);
    await file?.write(block);
  };
  try {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > options.maxBytes) {
        throw new PlugboardError(
          'PAYLOAD_TOO_LARGE',
          `${options.subject}: the download is larger than ${options.maxBytes} bytes; raise max_download_bytes in the client config if this is expected`,
          { details: { max_bytes: options.maxBytes } },
        );
      }
      pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      pendingBytes += chunk.length;
      if (pendingBytes >= HASH_CHUNK_BYTES) await flush();
      options.onProgress?.({ subject: options.subject, bytes: size, total: options.expectedSize });
    }
    await flush();
  } finally {
    await file?.close();
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}
