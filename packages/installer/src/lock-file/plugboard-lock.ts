import { readFile } from 'node:fs/promises';
import { PlugboardError, isValidVersion, parseDocument } from '@plugboard/core';
import { isSha256Digest } from '../digest/sha256-digest.js';
import { writeFileAtomic } from '../layout/atomic-file.js';

/** The lock file's default name. */
export const LOCK_FILE_NAME = 'plugboard.lock';
/** The format version written into every lock file. */
export const LOCK_FILE_VERSION = 1;

/** One installed plugin, as the lock file pins it. */
export interface LockEntry {
  readonly name: string;
  readonly version: string;
  /** A reference that fetches exactly these bytes (`local:echo@1.2.0`, `oci://…@sha256:…`). */
  readonly source: string;
  /** The sha256 of the package, 64 hex digits. */
  readonly sha256: string;
  /** The trusted key whose signature verified at install time; null when none did. */
  readonly signing_key_id: string | null;
  /** What was asked for (`echo@^1.2`, `github://acme/echo`): what `update` resolves again. */
  readonly requested: string;
}

/** The whole lock file. */
export interface LockFile {
  readonly lockfile_version: number;
  /** Sorted by name; one entry per plugin. */
  readonly plugins: readonly LockEntry[];
}

/** An empty lock. */
export const EMPTY_LOCK: LockFile = Object.freeze({
  lockfile_version: LOCK_FILE_VERSION,
  plugins: [],
});

/**
 * The lock file's bytes: JSON with a fixed key order, plugins sorted by name, two-space indent and
 * a final newline, so the same set of installs always writes the same file (diffs stay small).
 */
export function formatLockFile(lock: LockFile): string {
  const plugins = [...lock.plugins]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((entry) => ({
      name: entry.name,
      version: entry.version,
      source: entry.source,
      sha256: entry.sha256,
      signing_key_id: entry.signing_key_id,
      requested: entry.requested,
    }));
  return `${JSON.stringify({ lockfile_version: LOCK_FILE_VERSION, plugins }, null, 2)}\n`;
}

/** Parses lock file text; throws `CONFIG_INVALID` listing what is wrong where. */
export function parseLockFile(text: string, where: string): LockFile {
  const document = parseDocument(text, { name: where }) as Record<string, unknown> | null;
  const fail = (path: string, message: string): never => {
    throw new PlugboardError(
      'CONFIG_INVALID',
      `${where}: ${path} ${message}; fix or delete the lock file (then "plugboard install <ref>" rewrites it)`,
      { details: { problems: [{ path, message }] } },
    );
  };
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return fail('(root)', 'must be an object');
  }
  if (document['lockfile_version'] !== LOCK_FILE_VERSION) {
    return fail('lockfile_version', `must be ${LOCK_FILE_VERSION}`);
  }
  const plugins = document['plugins'];
  if (!Array.isArray(plugins)) return fail('plugins', 'must be a list');
  const seen = new Set<string>();
  const entries = plugins.map((item: unknown, index): LockEntry => {
    const at = `plugins[${index}]`;
    const record = (typeof item === 'object' && item !== null ? item : {}) as Record<
      string,
      unknown
    >;
    const text = (key: string): string => {
      const value = record[key];
      return typeof value === 'string' && value !== ''
        ? value
        : fail(`${at}.${key}`, 'must be a non-empty string');
    };
    const name = text('name');
    if (seen.has(name)) fail(`${at}.name`, `repeats "${name}"`);
    seen.add(name);
    const version = text('version');
    if (!isValidVersion(version)) fail(`${at}.version`, 'must be a SemVer version');
    const sha256 = text('sha256');
    if (!isSha256Digest(`sha256:${sha256}`))
      fail(`${at}.sha256`, 'must be 64 lower-case hex digits');
    const keyId = record['signing_key_id'];
    if (keyId !== null && keyId !== undefined && typeof keyId !== 'string') {
      fail(`${at}.signing_key_id`, 'must be a string or null');
    }
    return {
      name,
      version,
      source: text('source'),
      sha256,
      signing_key_id: typeof keyId === 'string' ? keyId : null,
      requested: typeof record['requested'] === 'string' ? record['requested'] : text('source'),
    };
  });
  return { lockfile_version: LOCK_FILE_VERSION, plugins: entries };
}

/** Reads the lock file; a missing file is an empty lock. */
export async function readLockFile(path: string): Promise<LockFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_LOCK;
    throw error;
  }
  return parseLockFile(text, path);
}

/** Writes the lock file atomically (see `formatLockFile` for the bytes). */
export async function writeLockFile(path: string, lock: LockFile): Promise<void> {
  await writeFileAtomic(path, formatLockFile(lock));
}

/** The lock with `entry` added or replacing the entry of the same name. */
export function withEntry(lock: LockFile, entry: LockEntry): LockFile {
  return { ...lock, plugins: [...lock.plugins.filter((e) => e.name !== entry.name), entry] };
}

/** The lock without the entry of `name`. */
export function withoutEntry(lock: LockFile, name: string): LockFile {
  return { ...lock, plugins: lock.plugins.filter((e) => e.name !== name) };
}
