import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { StoreLogger } from '../store-logger.js';
import type { SweepOptions, SweepResult } from './blob-store.js';
import { errorCode, guardFs } from './fs-errors.js';

/** Suffix of a blob moved aside by a sweep, in the temp folder: `<hex>.<random>.trash`. */
export const TRASH_SUFFIX = '.trash';

/** Unused old blobs asked about per `referenced` call. */
const DIGESTS_PER_BATCH = 500;

const HEX_NAME = /^[0-9a-f]{64}$/;

/** Where a sweep works: the blob root's `sha256/` and temp folders. */
export interface SweepPlace {
  readonly blobDirectory: string;
  readonly tempDirectory: string;
  readonly logger: StoreLogger;
}

interface Candidate {
  readonly hex: string;
  readonly path: string;
  readonly size: number;
}

/**
 * The sweep of `FsBlobStore`. A blob is deleted only when it is older than the grace period and
 * no version references it. To close the race with a publish of the same bytes (which renames a
 * fresh copy over the blob, then inserts its row), each victim is first renamed aside, then
 * checked again — its modification time (a fresh copy is young) and `referenced` — and put back
 * when either says it is in use; only then is it removed.
 */
export async function sweepBlobs(place: SweepPlace, options: SweepOptions): Promise<SweepResult> {
  const now = options.now ?? Date.now;
  const cutoff = now() - options.graceMs;
  let examined = 0;
  let keptInGrace = 0;
  let keptReferenced = 0;
  let deleted = 0;
  let freedBytes = 0;
  const old: Candidate[] = [];
  for await (const blob of listBlobs(place.blobDirectory)) {
    examined += 1;
    if (blob.mtimeMs > cutoff) keptInGrace += 1;
    else old.push(blob);
  }
  for (let start = 0; start < old.length; start += DIGESTS_PER_BATCH) {
    const batch = old.slice(start, start + DIGESTS_PER_BATCH);
    const used = await options.referenced(batch.map((blob) => `sha256:${blob.hex}`));
    for (const blob of batch) {
      if (used.has(`sha256:${blob.hex}`)) {
        keptReferenced += 1;
        continue;
      }
      const outcome = await removeIfStillUnused(place, blob, cutoff, options);
      if (outcome === 'deleted') {
        deleted += 1;
        freedBytes += blob.size;
      } else if (outcome === 'young') keptInGrace += 1;
      else if (outcome === 'referenced') keptReferenced += 1;
    }
  }
  if (deleted > 0) place.logger.info({ deleted, freedBytes }, 'blob store: swept unused blobs');
  return { examined, deleted, freedBytes, keptReferenced, keptInGrace };
}

/**
 * Puts back blobs a sweep moved aside and never finished with (the process died in between):
 * each is linked back under its digest unless a copy is there already, then the trash entry
 * goes. The next sweep decides about them again.
 */
export async function restoreTrash(place: SweepPlace): Promise<number> {
  const names = await guardFs('list temp files', () => readdir(place.tempDirectory));
  let restored = 0;
  for (const name of names) {
    if (!name.endsWith(TRASH_SUFFIX)) continue;
    const hex = name.slice(0, 64);
    if (!HEX_NAME.test(hex)) continue;
    const trash = join(place.tempDirectory, name);
    if (await putBack(trash, blobPath(place.blobDirectory, hex))) restored += 1;
  }
  if (restored > 0) place.logger.warn({ restored }, 'blob store: restored blobs a sweep left');
  return restored;
}

async function removeIfStillUnused(
  place: SweepPlace,
  blob: Candidate,
  cutoff: number,
  options: SweepOptions,
): Promise<'deleted' | 'gone' | 'young' | 'referenced'> {
  const trash = join(place.tempDirectory, `${blob.hex}.${randomUUID()}${TRASH_SUFFIX}`);
  try {
    await rename(blob.path, trash);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 'gone';
    throw error;
  }
  let keep: 'young' | 'referenced' | undefined;
  try {
    // A publish may have renamed a fresh copy into place after the listing: that copy is young.
    if ((await stat(trash)).mtimeMs > cutoff) keep = 'young';
    else if ((await options.referenced([`sha256:${blob.hex}`])).has(`sha256:${blob.hex}`)) {
      keep = 'referenced';
    }
  } catch (error) {
    await putBack(trash, blob.path);
    throw error;
  }
  if (keep !== undefined) {
    await putBack(trash, blob.path);
    return keep;
  }
  await rm(trash, { force: true });
  return 'deleted';
}

/** Links `trash` back to `path` (a newer copy already there wins), then removes `trash`. */
async function putBack(trash: string, path: string): Promise<boolean> {
  let restored = false;
  try {
    await mkdir(dirname(path), { recursive: true });
    await link(trash, path);
    restored = true;
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
  }
  await rm(trash, { force: true });
  return restored;
}

async function* listBlobs(
  root: string,
): AsyncGenerator<Candidate & { readonly mtimeMs: number }, void, undefined> {
  const prefixes = await guardFs('list blobs', () => readdir(root));
  for (const prefix of prefixes.sort()) {
    let names: string[];
    try {
      names = await readdir(join(root, prefix));
    } catch (error) {
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') continue;
      throw error;
    }
    for (const hex of names.sort()) {
      if (!HEX_NAME.test(hex) || !hex.startsWith(prefix)) continue;
      const path = join(root, prefix, hex);
      try {
        const stats = await stat(path);
        if (stats.isFile()) yield { hex, path, size: stats.size, mtimeMs: stats.mtimeMs };
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') throw error;
      }
    }
  }
}

function blobPath(root: string, hex: string): string {
  return join(root, hex.slice(0, 2), hex);
}
