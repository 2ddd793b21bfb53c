import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** File name endings read as manifests in MANAGED folders. */
export const MANAGED_MANIFEST_EXTENSIONS: readonly string[] = Object.freeze([
  '.json',
  '.yml',
  '.yaml',
]);

/** What a scan of the MANAGED folders found. */
export interface ManagedFolderScan {
  /** Manifest files in path order: folders as configured, then code-unit order within each. */
  readonly files: readonly string[];
  /** Every folder visited, to watch for changes. */
  readonly directories: readonly string[];
  /** Folders that could not be read. */
  readonly problems: readonly { readonly path: string; readonly message: string }[];
}

/**
 * Lists the manifest files under `folders`, recursively. Hidden entries (`.git`, editor swap
 * files) are skipped; symbolic links to files are followed, links to folders are not (no cycles).
 */
export async function scanManagedFolders(folders: readonly string[]): Promise<ManagedFolderScan> {
  const files: string[] = [];
  const directories: string[] = [];
  const problems: { path: string; message: string }[] = [];
  const visit = async (folder: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      problems.push({ path: folder, message: `cannot read folder: ${reason(error)}` });
      return;
    }
    directories.push(folder);
    entries.sort((a, b) => compareText(a.name, b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        await visit(path);
      } else if (MANAGED_MANIFEST_EXTENSIONS.includes(extname(entry.name).toLowerCase())) {
        if (entry.isFile() || (entry.isSymbolicLink() && (await isFile(path)))) files.push(path);
      }
    }
  };
  for (const folder of folders) await visit(folder);
  return { files, directories, problems };
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}

function reason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'it does not exist';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ENOTDIR') return 'it is not a folder';
  return error instanceof Error ? error.message : String(error);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
