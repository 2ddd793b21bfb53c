import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// `@plugboard/sdk` resolves to the bundle that `npm run bundle -w @plugboard/sdk` writes from tsc's
// output (scripts/bundle-runtime.mjs): a plugin's start then reads a few files, not ~30 modules.

const ENTRY_SPECIFIERS = [
  '@plugboard/sdk',
  '@plugboard/sdk/provider',
  '@plugboard/sdk/schema',
] as const;
const bundleDir = dirname(fileURLToPath(import.meta.resolve('@plugboard/sdk')));
const packageDir = dirname(dirname(bundleDir));
const STATIC_IMPORT =
  /^(?:import|export)\b[^;'"]*?\bfrom\s*["']([^"']+)["']|^import\s*["']([^"']+)["']/gm;

/** Every module a file imports statically (what Node loads before the file runs), transitively. */
function staticGraph(entry: string): { files: Set<string>; external: Set<string> } {
  const files = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      const specifier = match[1] ?? match[2] ?? '';
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else external.add(specifier);
    }
  };
  visit(entry);
  return { files, external };
}

function newestJsMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

test('the package entry points are the bundle, which loads only its own files and node: built-ins before running', () => {
  for (const specifier of ENTRY_SPECIFIERS) {
    const entry = fileURLToPath(import.meta.resolve(specifier));
    assert.equal(dirname(entry), bundleDir, `${specifier} resolves into dist/bundle`);
    const { files, external } = staticGraph(entry);
    for (const file of files)
      assert.ok(file.startsWith(`${bundleDir}/`), `${file} is in the bundle`);
    for (const name of external) assert.match(name, /^node:/, `${specifier} imports ${name}`);
  }
  // The main entry point is one file holding everything up to the first answer.
  assert.equal(staticGraph(fileURLToPath(import.meta.resolve('@plugboard/sdk'))).files.size, 1);
});

test('the bundle is not older than the compiled sources it was made from', () => {
  const bundledAt = statSync(join(bundleDir, 'index.js')).mtimeMs;
  const protocolDir = dirname(fileURLToPath(import.meta.resolve('@plugboard/protocol')));
  for (const compiled of [join(packageDir, 'dist/src'), protocolDir]) {
    assert.ok(
      newestJsMtime(compiled) <= bundledAt,
      `${compiled} changed after the bundle was made: run \`npm run bundle -w @plugboard/sdk\``,
    );
  }
});
