// Part 1b: discovery of 1,000 plugins through @plugboard/host, cold (every plugin's `capabilities`
// command runs) and again with the capabilities cache (nothing runs; each executable is stat'ed
// and hashed). The plugins are small `#!/bin/sh` executables so the cold run stays bounded; with
// the cache the plugin's language does not matter, since nothing is started.
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_DISCOVERY_CONCURRENCY, plainSpawner, PluginHost } from '@plugboard/host';
import { runBounded } from '../lib/child-processes.mjs';
import { measured } from '../lib/figures.mjs';
import { elapsedMs, median } from '../lib/stats.mjs';

const PLUGIN_COUNT = 1_000;
const CAPABILITIES_TIMEOUT_MS = 30_000;

function pluginName(index) {
  return `disc-plugin-${String(index).padStart(4, '0')}`;
}

async function writePlugins(root) {
  await mkdir(root, { recursive: true });
  const paths = [];
  for (let index = 0; index < PLUGIN_COUNT; index++) {
    const name = pluginName(index);
    const capabilities = JSON.stringify({
      protocol: 'plugboard/1',
      name,
      version: '1.0.0',
      capabilities: [
        {
          type: 'bench.discovery',
          name,
          endpoints: ['ping', 'describe'],
          schemas: { ping: { type: 'object' } },
        },
      ],
    });
    const path = join(root, name);
    await writeFile(
      path,
      `#!/bin/sh\nif [ "$1" = capabilities ]; then\n  printf '%s\\n' '${capabilities}'\n  exit 0\nfi\necho "serve is not part of this benchmark" >&2\nexit 1\n`,
    );
    await chmod(path, 0o755);
    paths.push(path);
  }
  return paths;
}

/** One discovery by a fresh host; resolves with its duration and how many processes it started. */
async function discoverOnce(root, cacheDir) {
  let spawns = 0;
  const host = new PluginHost({
    roots: [root],
    cacheDir,
    capabilitiesTimeoutMs: CAPABILITIES_TIMEOUT_MS,
    spawner: (command, args, options) => {
      spawns++;
      return plainSpawner(command, args, options);
    },
  });
  try {
    const start = process.hrtime.bigint();
    const result = await host.discover();
    const ms = elapsedMs(start);
    if (result.plugins.length !== PLUGIN_COUNT || result.problems.length !== 0) {
      const first = result.problems[0];
      throw new Error(
        `discovery found ${result.plugins.length} plugins and ${result.problems.length} problems (first: ${first?.code} ${first?.message.slice(0, 300)})`,
      );
    }
    return { ms, spawns };
  } finally {
    await host.shutdown();
  }
}

/** What cold discovery cannot beat: running each `capabilities` command at the host's concurrency. */
async function spawnAll(paths) {
  const start = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const path = paths[next++];
      const { code, stdout } = await runBounded(path, ['capabilities'], {
        timeoutMs: CAPABILITIES_TIMEOUT_MS,
      });
      if (code !== 0 || !stdout.includes('plugboard/1'))
        throw new Error(`${path} capabilities failed`);
    }
  };
  await Promise.all(Array.from({ length: DEFAULT_DISCOVERY_CONCURRENCY }, worker));
  return elapsedMs(start);
}

/** Discovery of 1,000 plugins, cold and cached. */
export async function runDiscovery({ quick, tmp, log }) {
  const folder = join(tmp, 'discovery');
  await rm(folder, { recursive: true, force: true });
  const root = join(folder, 'plugins');
  const paths = await writePlugins(root);
  const coldRuns = quick ? 1 : 3;
  const cachedRuns = quick ? 5 : 15;
  const coldMs = [];
  const spawnMs = [];
  for (let run = 0; run < coldRuns; run++) {
    const cold = await discoverOnce(root, join(folder, `cache-${run}`));
    if (cold.spawns !== PLUGIN_COUNT)
      throw new Error(`cold discovery started ${cold.spawns} processes, not ${PLUGIN_COUNT}`);
    coldMs.push(cold.ms);
    spawnMs.push(await spawnAll(paths));
  }
  const cachedMs = [];
  for (let run = 0; run < cachedRuns; run++) {
    const cached = await discoverOnce(root, join(folder, 'cache-0'));
    // A cached figure that secretly spawned would be a lie; refuse it.
    if (cached.spawns !== 0)
      throw new Error(`discovery with the cache started ${cached.spawns} processes`);
    cachedMs.push(cached.ms);
  }
  log(`discovery: ${coldRuns} cold, ${cachedRuns} cached runs over ${PLUGIN_COUNT} plugins`);
  return [
    measured({
      part: 'calls',
      id: 'discovery-cold',
      label: `discovery of ${PLUGIN_COUNT.toLocaleString('en-US')} plugins, cold`,
      value: median(coldMs),
      unit: 'ms',
      baseline: {
        label: `${PLUGIN_COUNT} bare \`capabilities\` spawns, ${DEFAULT_DISCOVERY_CONCURRENCY} at a time`,
        value: median(spawnMs),
      },
      note: `median of ${coldRuns}; a fresh PluginHost and an empty cache folder each run; no target is set for the cold case`,
    }),
    measured({
      part: 'calls',
      id: 'discovery-cached',
      label: `discovery of ${PLUGIN_COUNT.toLocaleString('en-US')} unchanged plugins, cached`,
      value: median(cachedMs),
      unit: 'ms',
      target: { kind: 'max', limit: 200, text: '< 200 ms (issue 4)' },
      note: `median of ${cachedRuns}; a fresh PluginHost each run reading the cache file the first cold run wrote (no process started — checked; every executable is still stat'ed and sha256-hashed)`,
    }),
  ];
}
