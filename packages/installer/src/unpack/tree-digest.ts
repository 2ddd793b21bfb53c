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
  const lines = new TreeLines();
  const walk = async (folder: string, prefix: string): Promise<void> => {
    for (const name of await readdir(folder)) {
      if (prefix === '' && name === INSTALL_RECORD_FILE) continue;
      const path = join(folder, name);
      const relative = prefix === '' ? name : `${prefix}/${name}`;
      const info = await lstat(path);
      if (info.isSymbolicLink()) {
        lines.link(relative, await readlink(path));
      } else if (info.isDirectory()) {
        lines.directory(relative);
        await walk(path, relative);
      } else if (info.isFile()) {
        lines.file(relative, (info.mode & 0o111) !== 0, await fileHex(path));
      } else {
        lines.other(relative);
      }
    }
  };
  await walk(dir, '');
  return lines.digest();
}

/**
 * The entries a tree digest is made of, gathered in any order and sorted segment by segment, so
 * unpacking (which sees archive order) and walking a folder produce the same digest.
 */
export class TreeLines {
  readonly #entries = new Map<string, (relative: string) => string>();

  file(path: string, executable: boolean, hex: string): void {
    this.#entries.set(
      path,
      (relative) => `file ${JSON.stringify(relative)} ${executable ? 'x' : '-'} ${hex}`,
    );
  }

  directory(path: string): void {
    this.#entries.set(path, (relative) => `dir ${JSON.stringify(relative)}`);
  }

  link(path: string, target: string): void {
    this.#entries.set(
      path,
      (relative) => `link ${JSON.stringify(relative)} ${JSON.stringify(target)}`,
    );
  }

  other(path: string): void {
    this.#entries.set(path, (relative) => `other ${JSON.stringify(relative)}`);
  }

  /** The digest of the entries below `prefix/` (all when `prefix` is ''), paths relative to it. */
  digest(prefix = ''): string {
    const paths = [...this.#entries.keys()]
      .filter((path) => prefix === '' || path.startsWith(`${prefix}/`))
      .sort(compareSegments);
    const lines = paths.map((path) => {
      const line = this.#entries.get(path);
      return line === undefined ? '' : line(prefix === '' ? path : path.slice(prefix.length + 1));
    });
    return `sha256:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
  }
}

function compareSegments(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let index = 0; index < Math.min(left.length, right.length); index += 1) {
    const x = left[index] ?? '';
    const y = right[index] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return left.length - right.length;
}

async function fileHex(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: HASH_CHUNK_BYTES })) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}
