#!/usr/bin/env node
// Packages one example provider folder as an uploadable .tar.gz:
//   node examples/providers/pack.mjs <linux-host|postgresql> [out.tar.gz]
// The examples import `@plugboard/sdk`, `@plugboard/sdk/provider` and `pg` by name, but the
// server unpacks an upload into its own data folder, where no node_modules is in reach. So the
// packaged copy names each bare import by the absolute file URL it resolves to in this
// repository: the plugin runs against the repository's built packages and node_modules (build
// @plugboard/sdk first). A plugin meant to be shipped would bundle its dependencies instead.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { gzipTarArchive } from '@plugboard/installer';

/** Files of an example folder that are not part of its package. */
const SKIPPED_FILES = new Set(['README.md']);

/** `from '<bare specifier>'` and `import('<bare specifier>')`, not `node:` builtins or paths. */
const BARE_IMPORT = /(\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])((?![./]|node:)[^'"]+)\2/g;

/** Rewrites the bare imports of one module to the file URLs they resolve to from here. */
export function pinImports(source) {
  return source.replace(
    BARE_IMPORT,
    (_, keyword, quote, specifier) => `${keyword}${quote}${import.meta.resolve(specifier)}${quote}`,
  );
}

/** The example provider in `examples/providers/<name>/` as a gzip tar, imports pinned. */
export async function packExampleProvider(name) {
  const folder = fileURLToPath(new URL(`./${name}/`, import.meta.url));
  const entries = [];
  for (const file of (await readdir(folder, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (!file.isFile() || SKIPPED_FILES.has(file.name)) continue;
    const text = await readFile(join(folder, file.name), 'utf8');
    const isModule = /\.m?js$/.test(file.name);
    entries.push({
      path: file.name,
      content: isModule ? pinImports(text) : text,
      mode: isModule ? 0o755 : 0o644,
    });
  }
  if (!entries.some((entry) => entry.path === 'manifest.json')) {
    throw new Error(`${folder}: no manifest.json (is "${name}" an example provider?)`);
  }
  return gzipTarArchive(entries);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [name, out] = process.argv.slice(2);
  if (name === undefined) {
    process.stderr.write('usage: node examples/providers/pack.mjs <example> [out.tar.gz]\n');
    process.exit(2);
  }
  const target = out ?? `${basename(name)}.tar.gz`;
  await writeFile(target, await packExampleProvider(name));
  process.stdout.write(`${target}\n`);
}
