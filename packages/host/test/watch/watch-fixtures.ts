import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes a manifest plugin folder `<root>/<name>/<version>/` with a manifest and an entrypoint. */
export function writeManifestPlugin(root: string, name: string, version: string): string {
  const dir = join(root, name, version);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.js'), `// ${name}@${version}\n`);
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({ name, version, runtime: { type: 'node', entrypoint: 'main.js' } }),
  );
  return dir;
}

/** Writes an executable plugin file (no extension), as OCM-style discovery expects. */
export function writeExecutablePlugin(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, '#!/bin/sh\necho {}\n');
  chmodSync(file, 0o755);
  return file;
}
