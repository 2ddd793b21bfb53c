import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, symlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PlugboardError } from '@plugboard/core';
import { readPackageEntries, type PackageLimits } from '@plugboard/installer';

/**
 * Unpacks a checked plugin package (gzip tar) into `destination`, which must be a new empty
 * folder: the package root `root` (`''` or its single top folder) becomes `destination`. Every
 * entry goes through the installer's checks again while reading, so nothing lands outside.
 * Files keep their execute bits; links stay inside the package.
 */
export async function unpackPluginPackage(
  file: string,
  root: string,
  destination: string,
  limits: PackageLimits,
): Promise<void> {
  const strip = (path: string): string | undefined => {
    if (root === '') return path;
    if (path === root) return '';
    return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : undefined;
  };
  await mkdir(destination, { recursive: true });
  for await (const entry of readPackageEntries(createReadStream(file), limits)) {
    const inside = strip(entry.path);
    if (inside === undefined) {
      throw new PlugboardError(
        'PACKAGE_INVALID',
        `entry "${entry.path}" lies outside the package folder "${root}"`,
        { details: { entry: entry.path } },
      );
    }
    if (inside === '') continue;
    const target = join(destination, inside);
    switch (entry.type) {
      case 'directory':
        await mkdir(target, { recursive: true });
        break;
      case 'file':
        await mkdir(dirname(target), { recursive: true });
        await pipeline(
          Readable.from(entry.body),
          createWriteStream(target, { mode: 0o644 | (entry.mode & 0o111), flags: 'wx' }),
        );
        break;
      case 'symlink':
      case 'hardlink': {
        const linked = entry.target === undefined ? undefined : strip(entry.target);
        if (linked === undefined || linked === '') {
          throw new PlugboardError(
            'PACKAGE_INVALID',
            `link "${entry.path}" must lead to a file inside the package folder`,
            { details: { entry: entry.path } },
          );
        }
        await mkdir(dirname(target), { recursive: true });
        const source = join(destination, linked);
        if (entry.type === 'symlink') await symlink(relative(dirname(target), source), target);
        else await copyFile(source, target);
        break;
      }
    }
  }
}
