import { PlugboardError } from '@plugboard/core';
import { ancestorsOf, normalizeEntryPath, resolveSymlinkTarget } from './entry-path.js';
import { gunzipStream } from './gunzip-stream.js';
import { DEFAULT_PACKAGE_LIMITS, type PackageLimits } from './package-limits.js';
import { readTarEntries, type TarEntry } from './tar-reader.js';

/** The kinds of entry a plugin package may hold. */
export type PackageEntryType = 'file' | 'directory' | 'symlink' | 'hardlink';

/** One checked entry of a plugin package. */
export interface PackageEntry {
  /** Normalised relative path (`bin/run`), never absolute, never with `..`. */
  readonly path: string;
  readonly type: PackageEntryType;
  /** Body size in bytes (0 except for files). */
  readonly size: number;
  /** Permission bits (`0o755`); the installer decides which it honours. */
  readonly mode: number;
  /** For links: the package path the link leads to (always inside the package). */
  readonly target?: string | undefined;
  /** The body of a file; read it before asking for the next entry, or it is skipped. */
  readonly body: AsyncIterable<Buffer>;
}

/**
 * Reads a plugin package (a gzip tar stream) entry by entry and refuses, with `PACKAGE_INVALID`
 * naming the entry, anything unsafe to unpack: absolute paths, `..`, symlinks or hardlinks leading
 * outside the package, entries below a symlink (so link checks stay lexical), device files,
 * FIFOs, unknown entry types, duplicate paths, and more entries or bytes than `limits` allow.
 * Only files' bodies are handed out; the whole archive is never held in memory.
 */
export async function* readPackageEntries(
  source: AsyncIterable<Uint8Array>,
  limits: PackageLimits = DEFAULT_PACKAGE_LIMITS,
): AsyncGenerator<PackageEntry, void, undefined> {
  const seen = new Map<string, PackageEntryType>();
  let count = 0;
  let unpacked = 0;
  const tar = readTarEntries(gunzipStream(source), { maxMetadataBytes: limits.maxMetadataBytes });
  for await (const entry of tar) {
    const shown = quote(entry.path);
    count += 1;
    if (count > limits.maxEntries) {
      throw refuse(
        entry.path,
        `the package has more than ${limits.maxEntries} entries (at ${shown})`,
      );
    }
    unpacked += entry.storedBytes;
    if (unpacked > limits.maxUnpackedBytes) {
      throw refuse(
        entry.path,
        `the package unpacks to more than ${limits.maxUnpackedBytes} bytes (at ${shown}, ${entry.size} bytes)`,
      );
    }
    const type = entryType(entry);
    const checked = normalizeEntryPath(entry.path);
    if ('problem' in checked) throw refuse(entry.path, `entry ${shown} ${checked.problem}`);
    const path = checked.path;
    if (path === '') {
      if (entry.kind === 'directory') continue; // `./` itself
      throw refuse(entry.path, `entry ${shown} has no name`);
    }
    for (const ancestor of ancestorsOf(path)) {
      const above = seen.get(ancestor);
      if (above !== undefined && above !== 'directory') {
        throw refuse(
          entry.path,
          `entry ${shown} lies below ${quote(ancestor)}, which is a ${above}`,
        );
      }
    }
    const earlier = seen.get(path);
    if (earlier !== undefined) {
      if (earlier === 'directory' && type === 'directory') continue;
      throw refuse(entry.path, `entry ${shown} appears twice in the package`);
    }
    let target: string | undefined;
    if (type === 'symlink') {
      const resolved = resolveSymlinkTarget(path, entry.linkTarget);
      if ('problem' in resolved) throw refuse(entry.path, `symlink ${shown} ${resolved.problem}`);
      target = resolved.path;
    } else if (type === 'hardlink') {
      // A hardlink names another archive member by its path from the package root.
      const resolved = normalizeEntryPath(entry.linkTarget);
      if ('problem' in resolved || seen.get(resolved.path) !== 'file') {
        throw refuse(
          entry.path,
          `hardlink ${shown} must point at an earlier file of the package, not ${quote(entry.linkTarget)}`,
        );
      }
      target = resolved.path;
    }
    seen.set(path, type);
    yield { path, type, size: entry.size, mode: entry.mode & 0o7777, target, body: entry.body };
  }
}

function entryType(entry: TarEntry): PackageEntryType {
  const shown = quote(entry.path);
  switch (entry.kind) {
    case 'file':
    case 'directory':
    case 'symlink':
    case 'hardlink':
      return entry.kind;
    case 'character-device':
      throw refuse(entry.path, `entry ${shown} is a character device`);
    case 'block-device':
      throw refuse(entry.path, `entry ${shown} is a block device`);
    case 'fifo':
      throw refuse(entry.path, `entry ${shown} is a FIFO`);
    case 'unsupported':
      throw refuse(
        entry.path,
        `entry ${shown} has the unsupported tar type ${JSON.stringify(entry.typeFlag)}`,
      );
  }
}

function quote(path: string): string {
  const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  return JSON.stringify(shown);
}

function refuse(entry: string, message: string): PlugboardError {
  return new PlugboardError('PACKAGE_INVALID', message, {
    details: { entry: entry.length > 200 ? `${entry.slice(0, 200)}…` : entry },
  });
}
