// The size a browser downloads for a built web app: each JS and CSS file gzipped (node:zlib,
// level 9), summed.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { constants, gzipSync } from 'node:zlib';

/** Every `.js` and `.css` file under `folder` with its raw and gzipped size in bytes. */
export async function gzippedAssetSizes(folder) {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && /\.(?:js|css)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  const sizes = [];
  for (const file of files) {
    const bytes = await readFile(file);
    sizes.push({
      file: relative(folder, file),
      bytes: bytes.length,
      gzipBytes: gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length,
    });
  }
  return sizes;
}
