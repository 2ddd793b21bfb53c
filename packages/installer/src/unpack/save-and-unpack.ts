import { saveHashed, type SavedFile, type SaveHashedOptions } from '../digest/hashed-download.js';
import { HASH_CHUNK_BYTES } from '../digest/sha256-digest.js';
import type { PackageLimits } from '../package/package-limits.js';
import { ChunkChannel } from './chunk-channel.js';
import { inBlocks } from './in-blocks.js';
import { unpackPackageStream, type UnpackedPackage } from './unpack-package.js';

/** What `saveAndUnpack` produced: the saved archive always, the unpacked folder or why not. */
export type SavedAndUnpacked =
  | {
      readonly saved: SavedFile;
      readonly unpacked: UnpackedPackage;
      readonly unpackError?: undefined;
    }
  | { readonly saved: SavedFile; readonly unpacked?: undefined; readonly unpackError: unknown };

/** Why pushes stop once the unpacker has read the whole archive (trailing bytes are only saved). */
const READER_FINISHED = new Error('the unpacker has finished');

/**
 * Saves a download to `archivePath` (when given: only a cache needs the package afterwards) while
 * hashing it and, at the same time, unpacks it into
 * `destination`: one pass over the bytes instead of write-then-read, the two halves on their own
 * pace (bounded buffer between them). When unpacking refuses the package the download is still
 * read to its end, so the caller can report a digest mismatch (the likelier story) before the
 * package error. Nothing is trusted yet: the caller checks the digest before using either result.
 */
export async function saveAndUnpack(
  source: AsyncIterable<Uint8Array>,
  archivePath: string | undefined,
  destination: string,
  limits: PackageLimits,
  options: SaveHashedOptions,
): Promise<SavedAndUnpacked> {
  const channel = new ChunkChannel();
  let unpackError: unknown;
  const unpacking = unpackPackageStream(channel, destination, limits).then(
    (unpacked) => {
      channel.stop(READER_FINISHED);
      return unpacked;
    },
    (error: unknown) => {
      unpackError = error;
      channel.stop(error);
      return undefined;
    },
  );
  async function* tee(): AsyncGenerator<Uint8Array> {
    let feeding = true;
    // 1 MiB blocks: one decompressor and hash call per block, not per network packet.
    for await (const chunk of inBlocks(source, HASH_CHUNK_BYTES)) {
      if (feeding) {
        try {
          await channel.push(chunk);
        } catch {
          // The unpacker stopped (done or refused): keep saving to learn the digest.
          feeding = false;
        }
      }
      yield chunk;
    }
  }
  let saved: SavedFile;
  try {
    saved = await saveHashed(tee(), archivePath, options);
    channel.end();
  } catch (error) {
    channel.fail(error);
    await unpacking;
    throw error;
  }
  const unpacked = await unpacking;
  return unpacked === undefined ? { saved, unpackError } : { saved, unpacked };
}
