import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { HASH_CHUNK_BYTES } from '../digest/sha256-digest.js';

/** The file an install writes into each version folder; it is not part of the plugin's tree. */
export const INSTALL_RECORD_FILE = '.plugboard-install.json';

/**
 * A digest of an unpacked plugin folder: every path (sorted), its kind, whether it is executable,
 * and the sha256 of its content or its link target. Computed right after unpacking and again by
 * `plugboard validate`, so any file changed, added or removed since the install shows up. The
 * install record itself is left out.
 */
export async function treeDigest(dir: string): Promise<string> {
  const lines: string[] = [];
  const walk = async (folder: string, prefix: string): Promise<void> => {
    const names = (await readdir(folder)).sort();
    for (const name of names) {
      if (prefix === '' && name === INSTALL_RECORD_FILE) continue;
      const path = join(folder, name);
      const relative = prefix === '' ? name : `${prefix}/${name}`;
      const info = await lstat(path);
      if (info.isSymbolicLink()) {
        lines.push(`link ${JSON.stringify(relative)} ${JSON.stringify(await readlink(path))}`);
      } else if (info.isDirectory()) {
        lines.push(`dir ${JSON.stringify(relative)}`);
        await walk(path, relative);
      } else if (info.isFile()) {
        const executable = (info.mode & 0o111) === 0 ? '-' : 'x';
        lines.push(`file ${JSON.stringify(relative)} ${executable} ${await fileHex(path)}`);
      } else {
        lines.push(`other ${JSON.stringify(relative)}`);
      }
    }
  };
  await walk(dir, '');
  return `sha256:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
}

async function fileHex(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: HASH_CHUNK_BYTES })) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}
