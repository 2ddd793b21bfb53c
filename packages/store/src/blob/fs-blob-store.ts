import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PlugboardError, isPlugboardError } from '@plugboard/core';
import { SILENT_STORE_LOGGER, type StoreLogger } from '../store-logger.js';
import type {
  BlobContent,
  BlobInfo,
  BlobStore,
  PutBlobOptions,
  SweepOptions,
  SweepResult,
} from './blob-store.js';
import { RetentionMarks } from './fs-blob-retention.js';
import { restoreTrash, sweepBlobs, type SweepPlace } from './fs-blob-sweep.js';
import { errorCode, fsError, guardFs } from './fs-errors.js';
import { sha256Hex } from './sha256-digest.js';

/** Temporary files older than this are left over from a crash and removed by `open`, in ms. */
export const STALE_TEMP_FILE_AGE_MS = 60 * 60 * 1000;

const TEMP_DIRECTORY = 'tmp';
const RETAINED_DIRECTORY = 'retained';
const TEMP_SUFFIX = '.partial';

/** Options of `FsBlobStore.open`. */
export interface FsBlobStoreOptions {
  readonly logger?: StoreLogger | undefined;
}

/**
 * A `BlobStore` in a directory: `<root>/sha256/ab/abcdef…`, with the retention marks of `retain` in
 * `<root>/retained/abcdef…` (empty files; their modification time is the last use). A put streams into
 * `<root>/tmp/<random>.partial` (same filesystem) while hashing, fsyncs it and renames it into
 * place, so a reader never sees a partial blob and a crash leaves only a temp file.
 *
 * @example
 * const blobs = await FsBlobStore.open('./plugboard-data/blobs');
 * const { digest, size } = await blobs.put(request.raw, { maxBytes: 50 * 1024 * 1024 });
 */
export class FsBlobStore implements BlobStore {
  /** The directory holding `sha256/` and `tmp/`. */
  readonly root: string;
  readonly #logger: StoreLogger;
  readonly #retention: RetentionMarks;

  private constructor(root: string, logger: StoreLogger) {
    this.root = root;
    this.#logger = logger;
    this.#retention = new RetentionMarks(join(root, RETAINED_DIRECTORY));
  }

  /**
   * Creates the directories when missing, removes temp files a crash left behind and puts back
   * blobs a crashed sweep had moved aside.
   */
  static async open(root: string, options: FsBlobStoreOptions = {}): Promise<FsBlobStore> {
    const store = new FsBlobStore(root, options.logger ?? SILENT_STORE_LOGGER);
    await guardFs('open blob store', async () => {
      await mkdir(join(root, 'sha256'), { recursive: true });
      await mkdir(join(root, TEMP_DIRECTORY), { recursive: true });
    });
    await store.removeStaleTempFiles(STALE_TEMP_FILE_AGE_MS);
    await restoreTrash(store.#sweepPlace());
    return store;
  }

  /** Removes temp files older than `olderThanMs`; returns how many it removed. */
  async removeStaleTempFiles(olderThanMs: number): Promise<number> {
    const directory = join(this.root, TEMP_DIRECTORY);
    const names = await guardFs('list temp files', () => readdir(directory));
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const name of names) {
      if (!name.endsWith(TEMP_SUFFIX)) continue;
      const path = join(directory, name);
      try {
        if ((await stat(path)).mtimeMs <= cutoff) {
          await rm(path, { force: true });
          removed += 1;
        }
      } catch (error) {
        this.#logger.warn({ err: error, path }, 'blob store: could not remove a stale temp file');
      }
    }
    if (removed > 0) this.#logger.info({ removed }, 'blob store: removed stale temp files');
    return removed;
  }

  async put(source: AsyncIterable<Uint8Array>, options: PutBlobOptions = {}): Promise<BlobInfo> {
    const { expectedDigest, maxBytes, signal } = options;
    if (expectedDigest !== undefined) sha256Hex(expectedDigest, 'expectedDigest');
    if (maxBytes !== undefined && (!Number.isSafeInteger(maxBytes) || maxBytes < 0)) {
      throw new PlugboardError('INVALID_ARGUMENT', 'maxBytes must be a non-negative integer', {
        details: { field: 'maxBytes' },
      });
    }
    const tempPath = join(this.root, TEMP_DIRECTORY, `${randomUUID()}${TEMP_SUFFIX}`);
    const handle = await guardFs('create temp file', () => open(tempPath, 'wx', 0o644));
    let info: BlobInfo;
    try {
      info = await copyHashing(source, handle, maxBytes, signal);
      await guardFs('flush blob', () => handle.sync());
    } catch (error) {
      await handle.close().catch(() => undefined);
      await rm(tempPath, { force: true });
      throw error;
    }
    try {
      await guardFs('close blob', () => handle.close());
      if (expectedDigest !== undefined && info.digest !== expectedDigest) {
        throw new PlugboardError(
          'DIGEST_MISMATCH',
          `content digest ${info.digest} does not match the expected ${expectedDigest}`,
          { details: { expected: expectedDigest, actual: info.digest } },
        );
      }
      const target = this.#path(info.digest);
      await guardFs('store blob', async () => {
        await mkdir(dirname(target), { recursive: true });
        await rename(tempPath, target);
      });
      await syncDirectory(dirname(target));
      return info;
    } catch (error) {
      await rm(tempPath, { force: true });
      throw error;
    }
  }

  async get(digest: string): Promise<BlobContent> {
    const path = this.#path(digest);
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') throw blobNotFound(digest);
      throw fsError('open blob', error);
    }
    try {
      const { size } = await handle.stat();
      return { digest, size, stream: handle.createReadStream() };
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw fsError('open blob', error);
    }
  }

  async has(digest: string): Promise<boolean> {
    return (await this.stat(digest)) !== undefined;
  }

  async stat(digest: string): Promise<BlobInfo | undefined> {
    const path = this.#path(digest);
    try {
      const stats = await stat(path);
      return { digest, size: stats.size };
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw fsError('stat blob', error);
    }
  }

  async retain(digest: string): Promise<boolean> {
    const hex = sha256Hex(digest);
    if ((await this.stat(digest)) === undefined) return false;
    await guardFs('mark blob retained', () => this.#retention.mark(hex));
    return true;
  }

  async sweep(options: SweepOptions): Promise<SweepResult> {
    return guardFs('sweep blobs', () => sweepBlobs(this.#sweepPlace(), options));
  }

  async delete(digest: string): Promise<boolean> {
    const path = this.#path(digest);
    try {
      await rm(path);
      await guardFs('delete blob', () =>
        rm(join(this.root, RETAINED_DIRECTORY, sha256Hex(digest)), { force: true }),
      );
      return true;
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return false;
      throw fsError('delete blob', error);
    }
  }

  #sweepPlace(): SweepPlace {
    return {
      blobDirectory: join(this.root, 'sha256'),
      tempDirectory: join(this.root, TEMP_DIRECTORY),
      retention: this.#retention,
      logger: this.#logger,
    };
  }

  /** Where a digest lives; validating the digest first keeps paths inside the root. */
  #path(digest: string): string {
    const hex = sha256Hex(digest);
    return join(this.root, 'sha256', hex.slice(0, 2), hex);
  }
}

/** Streams `source` into `handle`, hashing and counting, and stops at `maxBytes`. */
async function copyHashing(
  source: AsyncIterable<Uint8Array>,
  handle: FileHandle,
  maxBytes: number | undefined,
  signal: AbortSignal | undefined,
): Promise<BlobInfo> {
  const hash = createHash('sha256');
  let size = 0;
  const iterator = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      if (signal?.aborted === true) throw aborted('the blob write was aborted', signal.reason);
      let next: IteratorResult<Uint8Array>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw isPlugboardError(error) ? error : aborted('the blob source failed', error);
      }
      if (next.done === true) break;
      const chunk: Uint8Array =
        typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : next.value;
      size += chunk.byteLength;
      if (maxBytes !== undefined && size > maxBytes) {
        throw new PlugboardError('PAYLOAD_TOO_LARGE', `content exceeds ${maxBytes} bytes`, {
          details: { maxBytes },
        });
      }
      hash.update(chunk);
      await writeAll(handle, chunk);
    }
  } catch (error) {
    // Tells a stream source to stop producing (for a Readable this destroys it).
    await iterator.return?.().catch(() => undefined);
    throw error;
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await guardFs('write blob', () =>
      handle.write(chunk, offset, chunk.byteLength - offset),
    );
    offset += bytesWritten;
  }
}

/** Makes the rename durable: the directory entry is on disk, not only the file's data. */
async function syncDirectory(path: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch {
    // Some filesystems refuse to fsync a directory; the rename itself is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function aborted(message: string, cause: unknown): PlugboardError {
  return new PlugboardError('ABORTED', message, { cause });
}

function blobNotFound(digest: string): PlugboardError {
  return new PlugboardError('NOT_FOUND', `no blob ${digest}`, { details: { digest } });
}
