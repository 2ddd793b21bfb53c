import {
  PlugboardError,
  importManifestText,
  isPlugboardError,
  type ImportedManifest,
} from '@plugboard/core';
import { normalizeEntryPath } from './entry-path.js';
import { readPackageEntries, type PackageEntryType } from './package-entries.js';
import { DEFAULT_PACKAGE_LIMITS, type PackageLimits } from './package-limits.js';
import { ManifestCandidates } from './package-manifest.js';

/** Symlinks followed at most when checking that the entrypoint is a file. */
const MAX_SYMLINK_HOPS = 16;

/** One entry as the inspection lists it (no body). */
export interface InspectedEntry {
  readonly path: string;
  readonly type: PackageEntryType;
  readonly size: number;
  readonly mode: number;
  readonly target?: string | undefined;
}

/** What a plugin package holds, once every entry has been checked. */
export interface PackageInspection {
  /** The folder the manifest is in: `''` (archive root) or the single top folder's name. */
  readonly root: string;
  /** Archive path of the manifest, e.g. `manifest.yml` or `my-plugin/manifest.json`. */
  readonly manifestPath: string;
  readonly manifestText: string;
  /** The manifest in the native model, with the format it was written in and importer warnings. */
  readonly manifest: ImportedManifest;
  /** Archive path of the manifest's `runtime.entrypoint`, checked to be a file; else undefined. */
  readonly entrypoint: string | undefined;
  /** Every entry, in archive order. */
  readonly entries: readonly InspectedEntry[];
  /** Sum of file sizes, in bytes. */
  readonly unpackedBytes: number;
}

/** Options of `inspectPackage`. */
export interface InspectPackageOptions {
  readonly limits?: Partial<PackageLimits> | undefined;
}

/**
 * Reads a whole plugin package (gzip tar stream) and checks it without unpacking: every entry is
 * safe (see `readPackageEntries`), exactly one manifest (`manifest.{json,yml,yaml}`, any importer
 * format) sits at the root or in a single top folder, and the entrypoint it names is a file of
 * the package. Throws `PACKAGE_INVALID` naming the entry or the problem; manifest errors keep
 * core's codes (`PARSE_ERROR`, `FORMAT_UNKNOWN`, `MANIFEST_INVALID`) with the manifest's path.
 *
 * @example
 * const inspection = await inspectPackage(createReadStream('plugin.tgz'));
 * inspection.manifest.manifest.version // '1.2.0'
 */
export async function inspectPackage(
  source: AsyncIterable<Uint8Array>,
  options: InspectPackageOptions = {},
): Promise<PackageInspection> {
  const limits: PackageLimits = { ...DEFAULT_PACKAGE_LIMITS, ...options.limits };
  const entries: InspectedEntry[] = [];
  const candidates = new ManifestCandidates();
  let unpackedBytes = 0;
  for await (const entry of readPackageEntries(source, limits)) {
    entries.push({
      path: entry.path,
      type: entry.type,
      size: entry.size,
      mode: entry.mode,
      ...(entry.target === undefined ? {} : { target: entry.target }),
    });
    unpackedBytes += entry.size;
    candidates.noteEntry(entry.path);
    if (!candidates.isCandidatePath(entry.path)) continue;
    if (entry.type !== 'file') {
      throw new PlugboardError(
        'PACKAGE_INVALID',
        `the manifest "${entry.path}" must be a regular file, not a ${entry.type}`,
        { details: { entry: entry.path } },
      );
    }
    if (entry.size > limits.maxManifestBytes) {
      throw new PlugboardError(
        'PACKAGE_INVALID',
        `the manifest "${entry.path}" is ${entry.size} bytes; at most ${limits.maxManifestBytes} are accepted`,
        { details: { entry: entry.path } },
      );
    }
    const chunks: Buffer[] = [];
    for await (const chunk of entry.body) chunks.push(chunk);
    candidates.add({ path: entry.path, text: Buffer.concat(chunks).toString('utf8') });
  }
  const chosen = candidates.choose();
  if ('problem' in chosen) throw new PlugboardError('PACKAGE_INVALID', chosen.problem);
  const { manifest: file, root } = chosen;
  const manifest = importPackageManifest(file.path, file.text);
  const entrypoint = findEntrypoint(manifest, root, entries);
  return {
    root,
    manifestPath: file.path,
    manifestText: file.text,
    manifest,
    entrypoint,
    entries,
    unpackedBytes,
  };
}

function importPackageManifest(path: string, text: string): ImportedManifest {
  try {
    return importManifestText(text, { source: path });
  } catch (error) {
    if (!isPlugboardError(error)) throw error;
    const message = error.message.includes(path) ? error.message : `${path}: ${error.message}`;
    throw new PlugboardError(error.code, message, {
      cause: error,
      details: { ...error.details, entry: path },
    });
  }
}

function findEntrypoint(
  imported: ImportedManifest,
  root: string,
  entries: readonly InspectedEntry[],
): string | undefined {
  const declared = imported.manifest.runtime?.entrypoint;
  if (declared === undefined || declared === '') return undefined;
  const fail = (why: string) =>
    new PlugboardError(
      'PACKAGE_INVALID',
      `the manifest's runtime.entrypoint "${declared}" ${why}`,
      { details: { entrypoint: declared } },
    );
  const checked = normalizeEntryPath(declared);
  if ('problem' in checked || checked.path === '') {
    throw fail('must be a relative path inside the package');
  }
  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  const path = root === '' ? checked.path : `${root}/${checked.path}`;
  let current = byPath.get(path);
  for (let hops = 0; current?.type === 'symlink' && hops < MAX_SYMLINK_HOPS; hops += 1) {
    current = current.target === undefined ? undefined : byPath.get(current.target);
  }
  if (current === undefined) throw fail('is not in the package');
  if (current.type !== 'file' && current.type !== 'hardlink') throw fail('is not a file');
  return path;
}
