#!/usr/bin/env node
// Bundles the SDK's runtime (tsc's output in dist/src, plus the @plugboard/protocol modules it
// imports) into dist/bundle: a small facade per entry point and one shared chunk, instead of ~30 ES
// modules that Node resolves, reads and links one by one at every plugin start (cold start is
// measured). Ajv stays an import of its own, loaded on first need. Typings stay tsc's (dist/src).
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
  // Ajv's loader is the only dynamic import left on purpose; others are merged into the chunk.
  checks: { ineffectiveDynamicImport: false },
  output: {
    dir: OUT_DIR,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    // Everything but Ajv in one chunk, including what the first call needs (call handling, the
    // built-in schema checker): reading one more file after the handshake costs more than parsing
    // the code up front (V8 compiles a function when it is first called).
    codeSplitting: { groups: [{ name: 'runtime', test: /\/dist\/src\// }] },
    sourcemap: true,
  },
});
