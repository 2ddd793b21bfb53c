import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PlugboardError } from '@plugboard/core';
import { gzipTarArchive, type TarEntrySpec } from '../package/tar-writer.js';

/** Folders never packed: version control data. */
const SKIPPED_NAMES = new Set(['.git', '.hg', '.svn']);

/** Largest folder packed in memory, in bytes of file content. */
export const MAX_PACKED_FOLDER_BYTES = 256 * 1024 * 1024;

/**
 * Packs a plugin folder into a plugin package (gzip tar) with deterministic bytes: entries sorted,
 * times zeroed, permissions reduced to 644/755, so the same folder always gives the same digest
 * (`file://` installs stay reproducible from the lock). Version-control folders are left out;
 * device files, sockets and FIFOs are refused. The package is built in memory (up to
 * `MAX_PACKED_FOLDER_BYTES`); pack bigger plugins with `tar czf`.
 */
export async function packFolder(folder: string): Promise<Buffer> {
  const entries: TarEntrySpec[] = [];
  let bytes = 0;
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      if (SKIPPED_NAMES.has(name)) continue;
      const path = join(dir, name);
      const archivePath = prefix === '' ? name : `${prefix}/${name}`;
      const info = await lstat(path);
      if (info.isSymbolicLink()) {
        entries.push({
          path: archivePath,
          type: '2',
          linkTarget: await readlink(path),
          mode: 0o777,
        });
      } else if (info.isDirectory()) {
        entries.push({ path: `${archivePath}/`, type: '5', mode: 0o755 });
        await walk(path, archivePath);
      } else if (info.isFile()) {
        bytes += info.size;
        if (bytes > MAX_PACKED_FOLDER_BYTES) {
          throw new PlugboardError(
            'PAYLOAD_TOO_LARGE',
            `${folder}: more than ${MAX_PACKED_FOLDER_BYTES} bytes of files; pack it with "tar czf plugin.tgz -C ${folder} ." and use the package instead`,
          );
        }
        entries.push({
          path: archivePath,
          content: await readFile(path),
          mode: (info.mode & 0o111) === 0 ? 0o644 : 0o755,
        });
      } else {
        throw new PlugboardError(
          'PACKAGE_INVALID',
          `${path} is not a file, folder or symbolic link; a plugin folder cannot hold devices, sockets or FIFOs`,
          { details: { entry: archivePath } },
        );
      }
    }
  };
  const info = await lstat(folder).catch((cause: unknown) => {
    throw new PlugboardError('NOT_FOUND', `${folder}: no such folder`, { cause });
  });
  if (!info.isDirectory()) {
    throw new PlugboardError('INVALID_ARGUMENT', `${folder} is not a folder`);
  }
  await walk(folder, '');
  return gzipTarArchive(entries);
}
