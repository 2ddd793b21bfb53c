// Part 1a: plugin calls through @plugboard/host to the SDK's echo example, warm and cold, next to
// bare node baselines measured in the same run, interleaved so a change in the machine's load
// hits subject and baseline alike.
import { Buffer } from 'node:buffer';
import { readdirSync, statSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { PluginHost } from '@plugboard/host';
import { spawnTracked, stopProcess, waitForOutput } from '../lib/child-processes.mjs';
import { measured } from '../lib/figures.mjs';
import { REPO_ROOT, serverScript } from '../lib/bench-paths.mjs';
import { elapsedMs, median, percentile } from '../lib/stats.mjs';

const ECHO_INPUT = { message: 'hello from the benchmark', n: 42, tags: ['a', 'b'] };
const START_TIMEOUT_MS = 30_000;

/** Newest modification time of the .js files under `dir`, in ms. */
function newestJsMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.js'))
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Plugins load the SDK's bundle (dist/bundle), which `tsc -b` alone does not remake. */
function assertSdkBundleFresh() {
  const sdk = join(REPO_ROOT, 'packages/sdk');
  const bundledAt = statSync(join(sdk, 'dist/bundle/index.js')).mtimeMs;
  for (const compiled of [join(sdk, 'dist/src'), join(REPO_ROOT, 'packages/protocol/dist/src')]) {
    if (newestJsMtime(compiled) > bundledAt)
      throw new Error(
        `${compiled} is newer than the SDK bundle: run \`npm run bundle -w @plugboard/sdk\``,
      );
  }
}

/** Writes a plugin root holding the SDK's compiled echo example as a bare executable. */
async function writeEchoPluginRoot(root) {
  assertSdkBundleFresh();
  await mkdir(root, { recursive: true });
  const launcher = join(root, 'echo-plugin');
  const example = join(REPO_ROOT, 'packages/sdk/dist/examples/echo-plugin.js');
  // A dynamic import keeps the extensionless launcher valid CommonJS: a static `import` would make
  // Node parse it twice (CommonJS, then ESM by syntax detection), 10-20 ms per start.
  await writeFile(launcher, `#!/usr/bin/env node\nimport(${JSON.stringify(example)});\n`);
  await chmod(launcher, 0o755);
}

/** A keep-alive client of the bare UDS echo server: one socket, like the host's client per call. */
function udsCaller(socketPath) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const call = (input) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(input);
      const req = request(
        {
          socketPath,
          agent,
          method: 'POST',
          path: '/v1/echo/echo',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return { call, close: () => agent.destroy() };
}

async function timeCalls(call, count, into) {
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await call();
    into.push(elapsedMs(start));
  }
}

async function warmCalls({ quick, tmp, log }) {
  const root = join(tmp, 'echo-root');
  await writeEchoPluginRoot(root);
  const socketPath = join(tmp, 'bare-echo.sock');
  const rounds = quick ? 5 : 20;
  const perRound = 100;
  const host = new PluginHost({ roots: [root], cacheDir: join(tmp, 'cache'), idleTimeoutMs: 0 });
  let bare;
  let client;
  try {
    bare = spawnTracked(process.execPath, [serverScript('uds-echo-server.mjs'), socketPath], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    await waitForOutput(bare, bare.stdout, /ready/, START_TIMEOUT_MS, 'the bare UDS echo server');
    client = udsCaller(socketPath);
    await host.discover();
    const viaHost = async () => {
      const answer = await host.call('echo-plugin', 'echo', ECHO_INPUT);
      if (answer?.echo?.n !== 42)
        throw new Error(`unexpected echo answer ${JSON.stringify(answer)}`);
    };
    const viaBare = async () => {
      const answer = await client.call(ECHO_INPUT);
      if (answer?.echo?.n !== 42)
        throw new Error(`unexpected bare answer ${JSON.stringify(answer)}`);
    };
    // Warm-up (JIT, the plugin's first start, the keep-alive sockets) is not measured.
    await timeCalls(viaHost, 300, []);
    await timeCalls(viaBare, 300, []);
    const hostMs = [];
    const bareMs = [];
    for (let round = 0; round < rounds; round++) {
      // Alternate which goes first so neither always follows the other's garbage collection.
      const pair =
        round % 2 === 0
          ? [
              [viaHost, hostMs],
              [viaBare, bareMs],
            ]
          : [
              [viaBare, bareMs],
              [viaHost, hostMs],
            ];
      for (const [call, into] of pair) await timeCalls(call, perRound, into);
    }
    log(`warm calls: ${hostMs.length} through the host, ${bareMs.length} bare`);
    const note = `${hostMs.length} sequential calls each, interleaved in rounds of ${perRound}; host in the bench process, plugin and bare server unpinned`;
    return [
      measured({
        part: 'calls',
        id: 'warm-call-p50',
        label: 'warm call p50 (host → SDK echo)',
        value: median(hostMs),
        unit: 'ms',
        baseline: { label: 'bare node:http over UDS', value: median(bareMs) },
        target: { kind: 'ratio-max', limit: 1.5, text: '≤ 1.5× bare UDS (issue 4)' },
        note,
      }),
      measured({
        part: 'calls',
        id: 'warm-call-p99',
        label: 'warm call p99 (host → SDK echo)',
        value: percentile(hostMs, 99),
        unit: 'ms',
        baseline: { label: 'bare node:http over UDS', value: percentile(bareMs, 99) },
      }),
    ];
  } finally {
    client?.close();
    await host.shutdown();
    await stopProcess(bare);
  }
}

async function coldStartOfHost(root, cacheDir) {
  const host = new PluginHost({ roots: [root], cacheDir, idleTimeoutMs: 0 });
  try {
    await host.discover(); // from the cache: no process is started here
    const start = process.hrtime.bigint();
    const answer = await host.call('echo-plugin', 'echo', ECHO_INPUT);
    const ms = elapsedMs(start);
    if (answer?.echo?.n !== 42) throw new Error(`unexpected echo answer ${JSON.stringify(answer)}`);
    return ms;
  } finally {
    await host.shutdown();
  }
}

async function coldStartOfNode(socketPath) {
  const start = process.hrtime.bigint();
  const child = spawnTracked(
    process.execPath,
    [serverScript('ready-line-server.mjs'), socketPath],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    await waitForOutput(
      child,
      child.stdout,
      /"ready":true/,
      START_TIMEOUT_MS,
      'the ready-line server',
    );
    return elapsedMs(start);
  } finally {
    await stopProcess(child);
    await rm(socketPath, { force: true });
  }
}

async function coldStarts({ quick, tmp, log }) {
  const root = join(tmp, 'echo-root');
  await writeEchoPluginRoot(root);
  const cacheDir = join(tmp, 'cache');
  const runs = quick ? 10 : 20; // 6 quick runs left the p50 at the mercy of one noisy pair
  await coldStartOfHost(root, cacheDir); // fills the capabilities cache, warms the disk cache
  await coldStartOfNode(join(tmp, 'ready.sock'));
  const hostMs = [];
  const nodeMs = [];
  for (let run = 0; run < runs; run++) {
    hostMs.push(await coldStartOfHost(root, cacheDir));
    nodeMs.push(await coldStartOfNode(join(tmp, 'ready.sock')));
  }
  log(`cold starts: ${runs} of each`);
  return [
    measured({
      part: 'calls',
      id: 'cold-start-p50',
      label: 'cold start p50 (first call, host → SDK echo)',
      value: median(hostMs),
      unit: 'ms',
      baseline: { label: 'node spawn → ready line', value: median(nodeMs) },
      target: { kind: 'ratio-max', limit: 1.3, text: '≤ 1.3× node (issue 4)' },
      note: `${runs} runs each, alternating; the host figure is from call() to the answer (spawn, SDK load, handshake, /healthz, the call), the baseline from spawn to a ready line from a script listening on a socket; both inherit the bench's environment (no sandbox), NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS === undefined ? 'unset' : 'set'} for both`,
    }),
  ];
}

/** Warm plugin calls against the bare UDS echo. */
export async function runWarmCalls(context) {
  const tmp = join(context.tmp, 'calls-warm');
  await mkdir(tmp, { recursive: true });
  return warmCalls({ ...context, tmp });
}

/** Cold starts against node spawn-to-ready. */
export async function runColdStarts(context) {
  const tmp = join(context.tmp, 'calls-cold');
  await mkdir(tmp, { recursive: true });
  return coldStarts({ ...context, tmp });
}
