// Runs every compiled test file of every package in one `node --test` call, so CI reads one summary.
// Usage: node scripts/run-tests.mjs [substring ...]   (only files whose path contains a substring)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function testFiles(dir) {
  const found = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (entry !== 'fixtures' && entry !== 'node_modules') found.push(...testFiles(path));
    } else if (entry.endsWith('.test.js')) {
      found.push(path);
    }
  }
  return found;
}

const files = [];
for (const pkg of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', pkg, 'dist', 'test');
  try {
    statSync(dir);
  } catch {
    continue;
  }
  files.push(...testFiles(dir).sort());
}
const selected = files
  .map((file) => relative(root, file))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)));
if (selected.length === 0) {
  console.error('no test files found; run `npm run build` first');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  // --test-force-exit: a file whose tests are done exits even if a failed test left a handle
  // open, so one failure can never hang the run (and CI) until its time limit.
  ['--test', '--test-reporter=spec', '--test-concurrency=2', '--test-force-exit', ...selected],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
