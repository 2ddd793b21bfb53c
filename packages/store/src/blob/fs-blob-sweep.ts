import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { StoreLogger } from '../store-logger.js';
import type { SweepOptions, SweepResult } from './blob-store.js';
import type { RetentionMarks } from './fs-blob-retention.js';
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
  readonly retention: RetentionMarks;
  readonly logger: StoreLogger;
}

/** The two moments a sweep compares modification times with. */
interface Cutoffs {
  /** Blobs modified after this are in their grace period. */
  readonly grace: number;
  /** Blobs whose retention mark is after this are retained. */
  readonly retain: number;
}

interface Candidate {
  readonly hex: string;
  readonly path: string;
  readonly size: number;
}

/**
 * The sweep of `FsBlobStore`. A blob is deleted only when it is older than the grace period and
 * no version references it and no retention mark (`retain`, for cached REMOTE copies) is younger
 * than `retainMs`. To close the race with a publish of the same bytes (which renames a fresh copy
 * over the blob, then inserts its row), each victim is first renamed aside, then checked again —
 * its modification time (a fresh copy is young), its retention mark and `referenced` — and put
 * back when any says it is in use; only then is it removed, with its expired mark.
 */
export async function sweepBlobs(place: SweepPlace, options: SweepOptions): Promise<SweepResult> {
  const now = (options.now ?? Date.now)();
  const cutoffs: Cutoffs = { grace: now - options.graceMs, retain: now - (options.retainMs ?? 0) };
  let examined = 0;
  let keptInGrace = 0;
  let keptReferenced = 0;
  let keptRetained = 0;
  let deleted = 0;
  let freedBytes = 0;
  const old: Candidate[] = [];
  for await (const blob of listBlobs(place.blobDirectory)) {
    examined += 1;
    if (blob.mtimeMs > cutoffs.grace) keptInGrace += 1;
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
      if (await isRetained(place, blob.hex, cutoffs)) {
        keptRetained += 1;
        continue;
      }
      const outcome = await removeIfStillUnused(place, blob, cutoffs, options);
      if (outcome === 'deleted') {
        deleted += 1;
        freedBytes += blob.size;
      } else if (outcome === 'young') keptInGrace += 1;
      else if (outcome === 'referenced') keptReferenced += 1;
      else if (outcome === 'retained') keptRetained += 1;
    }
  }
  await place.retention.removeOrphans(cutoffs.retain, (hex) =>
    exists(blobPath(place.blobDirectory, hex)),
  );
  if (deleted > 0) place.logger.info({ deleted, freedBytes }, 'blob store: swept unused blobs');
  return { examined, deleted, freedBytes, keptReferenced, keptInGrace, keptRetained };
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
  cutoffs: Cutoffs,
  options: SweepOptions,
): Promise<'deleted' | 'gone' | 'young' | 'referenced' | 'retained'> {
  const trash = join(place.tempDirectory, `${blob.hex}.${randomUUID()}${TRASH_SUFFIX}`);
  try {
    await rename(blob.path, trash);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 'gone';
    throw error;
  }
  let keep: 'young' | 'referenced' | 'retained' | undefined;
  try {
    // A publish may have renamed a fresh copy into place after the listing: that copy is young.
    if ((await stat(trash)).mtimeMs > cutoffs.grace) keep = 'young';
    // A cached copy may have been served (and marked) since the first look.
    else if (await isRetained(place, blob.hex, cutoffs)) keep = 'retained';
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
  await place.retention.removeIfExpired(blob.hex, cutoffs.retain);
  return 'deleted';
}

async function isRetained(place: SweepPlace, hex: string, cutoffs: Cutoffs): Promise<boolean> {
  const lastUse = await place.retention.lastUse(hex);
  return lastUse !== undefined && lastUse > cutoffs.retain;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
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
