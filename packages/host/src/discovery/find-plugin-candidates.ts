import { accessSync, constants, type Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiscoveryProblem } from './discovered-plugin.js';

/** File names a plugin folder's manifest may have, in order of preference. */
export const MANIFEST_FILE_NAMES = ['manifest.json', 'manifest.yml', 'manifest.yaml'] as const;

/** How deep below a root discovery looks (`<root>/<name>/<version>/` needs 2). */
export const DEFAULT_MAX_DISCOVERY_DEPTH = 6;

/** Something on disk that looks like a plugin, before it is loaded. */
export type PluginCandidate =
  | {
      readonly kind: 'manifest';
      readonly root: string;
      readonly dir: string;
      readonly file: string;
    }
  | { readonly kind: 'executable'; readonly root: string; readonly file: string };

/** Folders never searched: hidden ones and dependency trees. */
function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/**
 * Walks the roots. A folder holding a manifest is one plugin (nothing below it is searched, so the
 * plugin's own executables are not mistaken for plugins); elsewhere, an executable file with no
 * extension is a bare plugin (seed 001); other folders are searched down to `maxDepth`.
 * Symbolic links are followed.
 */
export async function findPluginCandidates(
  roots: readonly string[],
  maxDepth = DEFAULT_MAX_DISCOVERY_DEPTH,
): Promise<{ candidates: PluginCandidate[]; problems: DiscoveryProblem[] }> {
  const candidates: PluginCandidate[] = [];
  const problems: DiscoveryProblem[] = [];

  const walk = async (root: string, dir: string, depth: number): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.push({
        path: dir,
        code: code === 'ENOENT' ? 'NOT_FOUND' : 'FORBIDDEN',
        message:
          code === 'ENOENT'
            ? `plugin folder "${dir}" does not exist`
            : `plugin folder "${dir}" cannot be read: ${(error as Error).message}`,
      });
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    const manifests = entries.filter(
      (entry) =>
        (MANIFEST_FILE_NAMES as readonly string[]).includes(entry.name) && !entry.isDirectory(),
    );
    if (manifests.length > 1) {
      problems.push({
        path: dir,
        code: 'MANIFEST_INVALID',
        message: `plugin folder "${dir}" has several manifests (${manifests.map((m) => m.name).join(', ')}); keep one`,
      });
      return;
    }
    const manifest = manifests[0];
    if (manifest !== undefined) {
      candidates.push({ kind: 'manifest', root, dir, file: join(dir, manifest.name) });
      return;
    }
    // The checks of one folder's entries run at once (symbolic links need a `stat` each); they
    // are used in name order.
    const classified = await Promise.all(
      entries.map(async (entry) => {
        const path = join(dir, entry.name);
        const kind = await entryKind(entry, path);
        const executable = kind === 'file' && !entry.name.includes('.') && isExecutable(path);
        return { entry, path, kind, executable };
      }),
    );
    for (const { entry, path, kind, executable } of classified) {
      if (kind === 'dir' && !isSkippedFolder(entry.name) && depth < maxDepth) {
        await walk(root, path, depth + 1);
      } else if (executable) {
        candidates.push({ kind: 'executable', root, file: path });
      }
    }
  };

  for (const root of roots) await walk(root, root, 0);
  return { candidates, problems };
}

async function entryKind(entry: Dirent, path: string): Promise<'dir' | 'file' | 'other'> {
  if (entry.isDirectory()) return 'dir';
  if (entry.isFile()) return 'file';
  if (!entry.isSymbolicLink()) return 'other';
  try {
    const target = await stat(path);
    return target.isDirectory() ? 'dir' : target.isFile() ? 'file' : 'other';
  } catch {
    return 'other'; // a dangling link is not a plugin
  }
}

// Synchronous on purpose: `access` is a few microseconds on this thread, while a thousand of them
// through the promise API and libuv's thread pool cost 20+ ms of a cached discovery.
function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
