#!/usr/bin/env node
// `npm run bench [-- --quick] [-- --only calls]`: measures each figure next to its baseline in the
// same run, prints a table, writes bench/results/<timestamp>.json (and .md). Not part of npm test.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR } from './lib/bench-paths.mjs';
import { canPin } from './lib/child-processes.mjs';
import { readOptions, USAGE } from './lib/cli-options.mjs';
import { notMeasured } from './lib/figures.mjs';
import { describeMachine, loadAverage } from './lib/machine.mjs';
import { textTable, writeResults } from './lib/report.mjs';
import { runColdStarts, runWarmCalls } from './parts/calls.mjs';
import { runDiscovery } from './parts/discovery.mjs';
import { runIngest } from './parts/ingest.mjs';
import { runInstall } from './parts/install.mjs';
import { runRegistryReads } from './parts/registry-reads.mjs';
import { runWebBundle, runWebPaint } from './parts/web-paint.mjs';

/** Each part's sections, run in order; a section that fails is reported and the next one runs. */
const PART_SECTIONS = {
  calls: { 'warm calls': runWarmCalls, 'cold starts': runColdStarts, discovery: runDiscovery },
  registry: { 'registry reads': runRegistryReads },
  install: { install: runInstall },
  ingest: { 'collection ingest': runIngest },
  web: { 'catalog paint': runWebPaint, 'bundle size': runWebBundle },
};

let options;
try {
  options = readOptions(process.argv.slice(2));
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

/** How this run was started, as a reader would type it again. */
function invocation() {
  const flags = process.argv.slice(2).join(' ');
  if (process.env.npm_lifecycle_event === 'bench')
    return `npm run bench${flags === '' ? '' : ` -- ${flags}`}`;
  return `node bench/run.mjs${flags === '' ? '' : ` ${flags}`}`;
}

/** The commit measured, marked when the work tree had changes. */
function commitOf() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: BENCH_DIR,
      encoding: 'utf8',
    }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
        cwd: BENCH_DIR,
        encoding: 'utf8',
      }).trim() !== '';
    return dirty ? `${head} (work tree had uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
}

const startedAt = new Date().toISOString();
const machine = describeMachine();
const log = (message) =>
  console.error(
    `[bench ${new Date().toISOString().slice(11, 19)} load ${loadAverage()}] ${message}`,
  );
log(
  `parts: ${options.parts.join(', ')}${options.quick ? ' (quick)' : ''}; nproc ${machine.nproc}, node ${machine.node}, pinning ${canPin() ? 'with taskset' : 'unavailable'}`,
);

const tmp = await mkdtemp(join(tmpdir(), 'plugboard-bench-'));
const figures = [];
const failures = [];
try {
  for (const part of options.parts) {
    for (const [section, run] of Object.entries(PART_SECTIONS[part])) {
      log(`${part} / ${section}: start`);
      try {
        figures.push(...(await run({ quick: options.quick, tmp, log })));
        log(`${part} / ${section}: done`);
      } catch (error) {
        // One broken section must not hide the others' figures; it is reported as not measured.
        failures.push(`${part} / ${section}`);
        log(`${part} / ${section} failed: ${String(error.stack ?? error).slice(0, 2_000)}`);
        figures.push(
          notMeasured({
            part,
            id: `${part}-${section.replaceAll(' ', '-')}-failed`,
            label: section,
            reason: `the benchmark failed: ${String(error.message).slice(0, 500)}`,
          }),
        );
      }
    }
  }
} finally {
  if (options.keepTemp) log(`temporary folder kept: ${tmp}`);
  else await rm(tmp, { recursive: true, force: true });
}

const results = {
  startedAt,
  finishedAt: new Date().toISOString(),
  command: invocation(),
  commit: commitOf(),
  options: { quick: options.quick, parts: options.parts },
  machine: { ...machine, pinnedWithTaskset: canPin(), loadAverageAtEnd: loadAverage() },
  figures,
};
console.log(`\n${textTable(figures)}\n`);
const written = await writeResults(join(BENCH_DIR, 'results'), results);
console.log(`results: ${written.json}\n         ${written.md}`);
process.exitCode = failures.length > 0 ? 1 : 0;
