import { createHash } from 'node:crypto';
import { constants, type Dirent, type Stats } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import {
  DEFAULT_MAX_DISCOVERY_DEPTH,
  MANIFEST_FILE_NAMES,
} from '../discovery/find-plugin-candidates.js';
import type { PluginEntry, PluginSnapshot } from './diff-plugin-snapshots.js';

/** Files fingerprinted per plugin folder; beyond this, later files do not count. */
export const MAX_FINGERPRINT_FILES = 10_000;

/** A snapshot plus what the watcher needs to keep watching it. */
export interface ScannedRoots {
  readonly snapshot: PluginSnapshot;
  /** Every folder whose entries can change the snapshot: roots, folders between, plugin folders. */
  readonly folders: readonly string[];
  /** Roots that do not exist (yet). */
  readonly missingRoots: readonly string[];
}

/** Folders never searched, as in discovery: hidden ones and dependency trees. */
function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/** `stat` following symlinks, or undefined when the entry vanished or dangles. */
async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

async function readdirOrUndefined(path: string): Promise<Dirent[] | undefined> {
  try {
    return await readdir(path, { withFileTypes: true });
  } catch {
    return undefined; // removed mid-scan, or unreadable: the next scan sees the outcome
  }
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function fileStamp(stats: Stats): string {
  return `${String(stats.size)}:${String(stats.mtimeMs)}:${String(stats.ino)}:${String(stats.mode)}`;
}

function toSlashes(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** Hash over every file below a plugin folder (path, size, mtime, inode, mode); adds its folders. */
async function fingerprintFolder(dir: string, folders: string[]): Promise<string> {
  const hash = createHash('sha256');
  let files = 0;
  const walk = async (current: string): Promise<void> => {
    folders.push(current);
    const entries = await readdirOrUndefined(current);
    if (entries === undefined) return;
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (files >= MAX_FINGERPRINT_FILES) return;
      const path = join(current, entry.name);
      const stats = await statOrUndefined(path);
      if (stats === undefined) continue;
      if (stats.isDirectory()) {
        if (!isSkippedFolder(entry.name)) await walk(path);
      } else {
        files += 1;
        hash.update(`${toSlashes(relative(dir, path))}\u0000${fileStamp(stats)}\n`);
      }
    }
  };
  await walk(dir);
  return hash.digest('hex');
}

/**
 * Finds every plugin under `roots` by discovery's rules — a folder holding a manifest is one
 * plugin (not searched further); elsewhere an executable file with no extension is one — and
 * fingerprints each.
 */
export async function scanPluginRoots(
  roots: readonly string[],
  maxDepth = DEFAULT_MAX_DISCOVERY_DEPTH,
): Promise<ScannedRoots> {
  const snapshot: PluginEntry[] = [];
  const folders: string[] = [];
  const missingRoots: string[] = [];

  const walk = async (root: string, dir: string, depth: number): Promise<void> => {
    const entries = await readdirOrUndefined(dir);
    if (entries === undefined) return;
    const names = new Set(entries.map((entry) => entry.name));
    if (MANIFEST_FILE_NAMES.some((name) => names.has(name))) {
      snapshot.push({
        root,
        path: toSlashes(relative(root, dir)),
        kind: 'folder',
        fingerprint: await fingerprintFolder(dir, folders),
      });
      return;
    }
    folders.push(dir);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const stats = await statOrUndefined(path);
      if (stats === undefined) continue;
      if (stats.isDirectory()) {
        if (!isSkippedFolder(entry.name) && depth < maxDepth) await walk(root, path, depth + 1);
      } else if (stats.isFile() && !entry.name.includes('.') && (await isExecutable(path))) {
        snapshot.push({
          root,
          path: toSlashes(relative(root, path)),
          kind: 'executable',
          fingerprint: fileStamp(stats),
        });
      }
    }
  };

  for (const root of roots) {
    const stats = await statOrUndefined(root);
    if (stats?.isDirectory() !== true) {
      missingRoots.push(root);
      continue;
    }
    await walk(root, root, 0);
  }
  return { snapshot, folders, missingRoots };
}

/** Every plugin under `roots` with its fingerprint (see `scanPluginRoots`). */
export async function takePluginSnapshot(
  roots: readonly string[],
  maxDepth = DEFAULT_MAX_DISCOVERY_DEPTH,
): Promise<PluginSnapshot> {
  return (await scanPluginRoots(roots, maxDepth)).snapshot;
}
