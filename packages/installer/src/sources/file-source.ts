import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PlugboardError, formatPluginReference, type FileReference } from '@plugboard/core';
import { HASH_CHUNK_BYTES } from '../digest/sha256-digest.js';
import { packFolder } from '../pack/pack-folder.js';
import type { ArtifactSignature } from '../signing/artifact-signatures.js';
import type { ResolvedArtifact } from './resolved-artifact.js';
import { parseSignatureDocument } from './signature-sidecar.js';

/**
 * A `file://` reference or a `./`, `../`, `/` path (relative to `cwd`): a plugin package (gzip
 * tar) or a plugin folder, which is packed with deterministic bytes first so the lock file can
 * pin its digest. Signatures come from `<package>.sig` next to a package, when present.
 */
export async function resolveFile(
  reference: FileReference,
  cwd: string,
): Promise<ResolvedArtifact> {
  const path = resolve(cwd, reference.path);
  const info = await stat(path).catch((cause: unknown) => {
    throw new PlugboardError('NOT_FOUND', `${path}: no such file or folder; check the path`, {
      cause,
    });
  });
  const source = formatPluginReference({ kind: 'file', path, form: 'url' });
  if (info.isDirectory()) {
    const packed = await packFolder(path);
    return {
      subject: path,
      source,
      expectedDigests: [],
      signatures: [],
      warnings: [],
      async open() {
        return { body: once(packed), size: packed.length };
      },
    };
  }
  if (!info.isFile()) {
    throw new PlugboardError(
      'INVALID_ARGUMENT',
      `${path} is neither a plugin package nor a folder`,
    );
  }
  return {
    subject: path,
    source,
    expectedDigests: [],
    signatures: await readSidecar(`${path}.sig`),
    warnings: [],
    async open() {
      return {
        body: createReadStream(path, { highWaterMark: HASH_CHUNK_BYTES }),
        size: info.size,
      };
    },
  };
}

async function* once(bytes: Buffer): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function readSidecar(path: string): Promise<ArtifactSignature[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return parseSignatureDocument(text, path);
}
