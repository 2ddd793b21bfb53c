#!/usr/bin/env node
// Bundles the SDK's runtime (tsc's output in dist/src, plus the @plugboard/protocol modules it
// imports) into dist/bundle: one file per entry point and a shared chunk, instead of ~30 ES modules
// that Node resolves, reads and links one by one at every plugin start (cold start is measured).
// What only some plugins or only calls need (call handling, Ajv, the capabilities document) stays
// behind dynamic imports, as separate chunks loaded on first use. Typings stay tsc's (dist/src).
// Usage (after `tsc -b`): node scripts/bundle-runtime.mjs   — run by `npm run build` in this package.
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const PACKAGE_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const COMPILED = join(PACKAGE_DIR, 'dist/src');
const OUT_DIR = join(PACKAGE_DIR, 'dist/bundle');

/** package.json export → compiled module. Built together, so classes are shared, not copied. */
const ENTRIES = {
  index: 'index.js',
  provider: 'provider/define-provider.js',
  schema: 'input-validator.js',
  runner: 'runner/run-plugin-module.js',
};

await rm(OUT_DIR, { recursive: true, force: true });
await build({
  input: Object.fromEntries(
    Object.entries(ENTRIES).map(([name, path]) => [name, join(COMPILED, path)]),
  ),
  platform: 'node',
  // Ajv is a dependency proper, loaded lazily by the schema checker; node: built-ins stay imports.
  external: [/^ajv(\/|$)/, /^node:/],
  logLevel: 'warn',
  output: {
    dir: OUT_DIR,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: true,
  },
});
