// Part 3: install of a ~100 MB plugin package with @plugboard/installer from a file:// reference
// (the installer's whole path except the network) and from http:// on loopback, next to
// `sha256sum` (or `curl | sha256sum`) + `tar xzf` of the same file, interleaved so both see the
// same machine load and a warm page cache.
import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runBounded, spawnTracked, stopProcess, waitForOutput } from '../lib/child-processes.mjs';
import { measured, notMeasured } from '../lib/figures.mjs';
import { elapsedMs, median } from '../lib/stats.mjs';

const BLOB_FILES = 24;
const BLOB_BYTES = 4 * 1024 * 1024;
const SMALL_FILES = 2_000;
const STEP_TIMEOUT_MS = 300_000;
const PLUGIN_NAME = 'bench-big-plugin';
const PLUGIN_VERSION = '1.0.0';

/** Incompressible blobs (the bulk of the 100 MB) plus many small text files, like node_modules. */
async function writePackageFolder(folder) {
  await mkdir(join(folder, 'bin'), { recursive: true });
  await mkdir(join(folder, 'data'), { recursive: true });
  await mkdir(join(folder, 'lib'), { recursive: true });
  await writeFile(
    join(folder, 'manifest.json'),
    JSON.stringify({
      name: PLUGIN_NAME,
      version: PLUGIN_VERSION,
      description: 'A ~100 MB plugin package for the install benchmark',
      capabilities: [{ type: 'echo', endpoints: ['echo'] }],
      runtime: { type: 'executable', entrypoint: 'bin/run' },
    }),
  );
  await writeFile(join(folder, 'bin/run'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  for (let i = 0; i < BLOB_FILES; i++)
    await writeFile(join(folder, `data/blob-${i}.bin`), randomBytes(BLOB_BYTES));
  const text = `export const value = ${JSON.stringify('x'.repeat(64))};\n`.repeat(150);
  for (let i = 0; i < SMALL_FILES; i++)
    await writeFile(join(folder, `lib/module-${i}.js`), `// ${i}\n${text}`);
}

async function run(command, args, what) {
  const result = await runBounded(command, args, { timeoutMs: STEP_TIMEOUT_MS });
  if (result.code !== 0)
    throw new Error(`${what} failed (${result.code}): ${result.stderr.slice(0, 500)}`);
}

/** Install against sha256sum + tar xzf. */
export async function runInstall({ quick, tmp, log }) {
  let Installer;
  try {
    ({ Installer } = await import('@plugboard/installer'));
  } catch (error) {
    Installer = undefined;
    log(`@plugboard/installer cannot be loaded: ${error.message}`);
  }
  const target = { kind: 'ratio-max', limit: 1.5, text: '≤ 1.5× sha256sum + tar xzf (issue 7)' };
  if (typeof Installer !== 'function') {
    return [
      notMeasured({
        part: 'install',
        id: 'install-100mb',
        label: 'install of a 100 MB package',
        target,
        reason: 'not measured: installer not built (@plugboard/installer exports no Installer)',
      }),
    ];
  }
  const folder = join(tmp, 'install');
  const source = join(folder, 'package');
  const archive = join(folder, `${PLUGIN_NAME}-${PLUGIN_VERSION}.tgz`);
  await writePackageFolder(source);
  await run(
    'tar',
    ['czf', archive, '-C', source, 'manifest.json', 'bin', 'data', 'lib'],
    'tar czf',
  );
  const { size } = await stat(archive);
  await rm(source, { recursive: true, force: true });
  log(`install: package of ${(size / 1e6).toFixed(1)} MB`);

  const runs = quick ? 2 : 5;
  const fileRun = await measurePairs({
    folder: join(folder, 'file'),
    runs,
    install: (root) => installOnce(Installer, root, pathToFileURL(archive).href),
    baselineScript: 'sha256sum "$1" > /dev/null && tar xzf "$1" -C "$3"',
    archive,
  });
  // The same over HTTP from a server in its own process: the installer streams the download
  // through its digest and unpacker; the baseline is the issue's `curl … | sha256sum` and then
  // `tar xzf` of the same file.
  const server = await startPackageServer(archive);
  let httpRun;
  try {
    httpRun = await measurePairs({
      folder: join(folder, 'http'),
      runs,
      install: (root) => installOnce(Installer, root, server.url),
      baselineScript: 'curl -sf "$2" | sha256sum > /dev/null && tar xzf "$1" -C "$3"',
      archive,
      url: server.url,
    });
  } finally {
    await stopProcess(server.child);
  }
  const common = `median of ${runs} after one warm-up pair (order alternating, nothing deleted between pairs); ${BLOB_FILES} random ${BLOB_BYTES / 1024 / 1024} MiB files and ${SMALL_FILES} small .js files`;
  return [
    measured({
      part: 'install',
      id: 'install-100mb',
      label: `install of a ${(size / 1e6).toFixed(0)} MB package (file://)`,
      value: median(fileRun.installMs),
      unit: 'ms',
      baseline: { label: 'sha256sum + tar xzf', value: median(fileRun.baselineMs) },
      target,
      note: `${common}; everything Installer.install does for a file:// reference (staging, digest, package checks, unpack, syncfs before the commit, atomic move, lock file; no download cache, which the CLI adds), against a baseline with no checks, no staging, no flush and no lock file`,
    }),
    measured({
      part: 'install',
      id: 'install-100mb-http',
      label: `install of a ${(size / 1e6).toFixed(0)} MB package (http:// on loopback)`,
      value: median(httpRun.installMs),
      unit: 'ms',
      baseline: { label: 'curl | sha256sum + tar xzf', value: median(httpRun.baselineMs) },
      target,
      note: `${common}; the package served by a Node HTTP server in another process; the installer downloads, hashes and unpacks in one pass (as for a registry download), the baseline downloads with curl into sha256sum, then unpacks the local file`,
    }),
  ];
}

async function installOnce(Installer, root, reference) {
  const start = process.hrtime.bigint();
  const [outcome] = await new Installer({ installRoot: root }).install([reference]);
  const ms = elapsedMs(start);
  if (outcome?.status !== 'installed')
    throw new Error(`install answered ${JSON.stringify(outcome)}`);
  return ms;
}

/**
 * Pairs of (install, baseline) with the order alternating. Outputs are deleted only after the
 * last pair: ext4 skips recently deleted inodes when it creates files (and scans past them, for
 * minutes while their inode table blocks are dirty), so deleting 4,000 files between pairs made
 * whichever side ran next pay for it — the installer, every time, when it always ran first.
 */
async function measurePairs({ folder, runs, install, baselineScript, archive, url = '' }) {
  const installMs = [];
  const baselineMs = [];
  const outputs = [];
  const baseline = async (out) => {
    await mkdir(out, { recursive: true });
    const start = process.hrtime.bigint();
    await run('sh', ['-c', baselineScript, 'sh', archive, url, out], 'baseline');
    return elapsedMs(start);
  };
  try {
    for (let i = 0; i <= runs; i++) {
      const root = join(folder, `root-${i}`);
      const out = join(folder, `out-${i}`);
      outputs.push(root, out);
      let ms;
      let base;
      if (i % 2 === 0) {
        ms = await install(root);
        base = await baseline(out);
      } else {
        base = await baseline(out);
        ms = await install(root);
      }
      // The first pair only warms the page cache and the installer's code.
      if (i > 0) {
        installMs.push(ms);
        baselineMs.push(base);
      }
    }
  } finally {
    for (const output of outputs) await rm(output, { recursive: true, force: true });
  }
  return { installMs, baselineMs };
}

/** A static server for the package in a child process; resolves with its URL. */
async function startPackageServer(archive) {
  const script = `
    const { createServer } = require('node:http');
    const { createReadStream, statSync } = require('node:fs');
    const file = process.argv[1];
    const size = statSync(file).size;
    const server = createServer((request, response) => {
      if (request.url !== '/package.tgz') return response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/gzip', 'content-length': String(size) });
      createReadStream(file, { highWaterMark: 1024 * 1024 }).pipe(response);
    });
    server.listen(0, '127.0.0.1', () => console.log('ready ' + server.address().port));
  `;
  const child = spawnTracked(process.execPath, ['-e', script, archive], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const match = await waitForOutput(child, child.stdout, /ready (\d+)/, 10_000, 'package server');
  return { child, url: `http://127.0.0.1:${match[1]}/package.tgz` };
}
