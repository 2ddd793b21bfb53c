// Where things are: the repo root (benchmarks run the built workspace packages from there).
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding the root package.json). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The bench folder. */
export const BENCH_DIR = fileURLToPath(new URL('../', import.meta.url));
/** A baseline server script under bench/servers. */
export function serverScript(name) {
  return fileURLToPath(new URL(`../servers/${name}`, import.meta.url));
}
