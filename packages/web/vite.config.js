// Builds the catalog into dist/app: every asset bundled (no CDN, no external font), hashed names,
// served by the registry server at `/` (packages/server/src/app/web-ui.ts).
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    // One small app: a single JS and a single CSS file load faster than a waterfall of chunks.
    assetsInlineLimit: 0,
    rolldownOptions: {
      // core and client are pure libraries: a module whose exports the app does not use (core's
      // importers, ajv, yaml) is dropped even when its top level builds something.
      treeshake: {
        moduleSideEffects: (id) => !/[/\\]packages[/\\](core|client)[/\\]|node_modules/.test(id),
      },
    },
  },
});
