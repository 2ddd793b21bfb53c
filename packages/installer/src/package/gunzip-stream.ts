import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { PlugboardError } from '@plugboard/core';

/**
 * Bytes zlib hands out per chunk: 1 MiB instead of its default 16 KiB, so a large file's body
 * reaches the hash and the disk in a few big calls instead of thousands of small ones.
 */
const GUNZIP_CHUNK_BYTES = 1024 * 1024;

/**
 * Decompresses a gzip stream chunk by chunk. zlib failures become `PACKAGE_INVALID` ("not gzip");
 * a failure of `source` itself passes through unchanged. Stopping early destroys the decoder.
 */
export async function* gunzipStream(
  source: AsyncIterable<Uint8Array>,
): AsyncGenerator<Buffer, void, undefined> {
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  let sourceError: unknown;
  const feeding = pipeline(source, gunzip).catch((error: unknown) => {
    sourceError ??= error;
  });
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) yield chunk;
  } catch (error) {
    await feeding;
    throw translate(sourceError ?? error);
  } finally {
    gunzip.destroy();
    await feeding;
  }
  if (sourceError !== undefined) throw translate(sourceError);
}

function translate(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new PlugboardError(
      'PACKAGE_INVALID',
      `the package is not valid gzip data (${(error as Error).message})`,
      { cause: error },
    );
  }
  return error;
}
