#!/usr/bin/env node
// Bundles the SDK's runtime (tsc's output in dist/src, plus the @plugboard/protocol modules it
// imports) into dist/bundle/index.js: one file for the package's main entry point, instead of ~30
// ES modules that Node resolves, reads and links one by one at every plugin start (cold start is
// measured; each extra file in the start's module graph costs about a millisecond or more). Ajv
// stays an import of its own, loaded on first need. The subpath entry points (`./provider`,
// `./schema`) are one-line re-exports of index.js, so every entry point shares the same classes.
// Typings stay tsc's (dist/src). Usage (after `tsc -b`): node scripts/bundle-runtime.mjs — run by
// `npm run build` and `npm run bundle` in this package.
import { rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'rolldown';

const PACKAGE_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const COMPILED = join(PACKAGE_DIR, 'dist/src');
const OUT_DIR = join(PACKAGE_DIR, 'dist/bundle');

/** Subpath entry point → the compiled module whose exports it re-exports from index.js. */
const SUBPATH_ENTRIES = {
  'provider.js': 'provider/define-provider.js',
  'schema.js': 'input-validator.js',
};

await rm(OUT_DIR, { recursive: true, force: true });
await build({
  input: { index: join(COMPILED, 'index.js') },
  platform: 'node',
  // Ajv is a dependency proper, loaded lazily by the schema checker; node: built-ins stay imports.
  external: [/^ajv(\/|$)/, /^node:/],
  logLevel: 'warn',
  // The SDK's own dynamic imports land in the same file (reading another file after the handshake
  // would cost more than parsing the code up front); only Ajv's stays a real one.
  checks: { ineffectiveDynamicImport: false },
  output: { dir: OUT_DIR, format: 'esm', entryFileNames: '[name].js', sourcemap: true },
});

const bundled = await import(pathToFileURL(join(OUT_DIR, 'index.js')).href);
for (const [file, compiled] of Object.entries(SUBPATH_ENTRIES)) {
  const names = Object.keys(await import(pathToFileURL(join(COMPILED, compiled)).href));
  const missing = names.filter((name) => !(name in bundled));
  if (missing.length > 0) {
    throw new Error(`src/index.ts must export ${missing.join(', ')} (re-exported by ${file})`);
  }
  await writeFile(join(OUT_DIR, file), `export { ${names.join(', ')} } from './index.js';\n`);
}
