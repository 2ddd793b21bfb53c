// Part 2: registry reads. The registry (`plugboard serve`, SQLite, a generated catalog of 10,000
// plugins × 10 versions), a bare node:http server and a bare Fastify route returning the same JSON
// bodies, and Verdaccio serving a packument of similar size all run pinned to one CPU; autocannon
// runs pinned to the other, one load run at a time, subject and baselines back to back per route.
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT, serverScript } from '../lib/bench-paths.mjs';
import { CATALOG_VERSIONS, catalogPluginName, generateCatalog } from '../lib/catalog.mjs';
import {
  canPin,
  memoryOf,
  pinned,
  spawnTracked,
  stopProcess,
  waitForOutput,
} from '../lib/child-processes.mjs';
import { measured } from '../lib/figures.mjs';
import { LOAD_CPU, measureLoad, SERVER_CPU } from '../lib/load-generator.mjs';
import { SERVER_START_TIMEOUT_MS, startPlugboardServer } from '../lib/plugboard-server.mjs';
import { elapsedMs } from '../lib/stats.mjs';
import { startVerdaccio } from '../lib/verdaccio-peer.mjs';

const CATALOG_PLUGINS = 10_000;
const CONNECTIONS = 50;
const PLUGIN = catalogPluginName(4242);

/** The three benchmarked reads; keys are also the paths the bare servers answer. */
const ROUTES = [
  {
    id: 'detail',
    label: 'GET /plugins/{name}',
    path: `/api/v1/plugins/${PLUGIN}`,
    fromIssue: 'issue 3',
  },
  {
    id: 'search',
    label: 'GET /plugins?q=vmware',
    path: '/api/v1/plugins?q=vmware',
    fromIssue: 'issue 7',
  },
  {
    id: 'resolve',
    label: 'GET /plugins/{name}/resolve?spec=^1',
    path: `/api/v1/plugins/${PLUGIN}/resolve?spec=%5E1`,
    fromIssue: 'issue 7',
  },
];

/** Starts a server script pinned to the server CPU that prints `listening on PORT`. */
async function startBareServer(script, bodiesFile, what) {
  const [command, args] = pinned(SERVER_CPU, process.execPath, [serverScript(script), bodiesFile]);
  const child = spawnTracked(command, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const match = await waitForOutput(
      child,
      child.stdout,
      /listening on (\d+)/,
      SERVER_START_TIMEOUT_MS,
      what,
    );
    return { child, origin: `http://127.0.0.1:${match[1]}` };
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
}

/** `plugboard serve` on the data folder, pinned to the server CPU, its request log discarded. */
function startRegistry(dataDir, adminToken, logLevel) {
  return startPlugboardServer({ dataDir, adminToken, logLevel, cpu: SERVER_CPU });
}

async function fetchJson(url, headers) {
  const response = await globalThis.fetch(url, { headers });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`GET ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return { body: JSON.parse(text), bytes: Buffer.byteLength(text) };
}

/** Registry reads, baselines, peer and memory. */
export async function runRegistryReads({ quick, tmp, log }) {
  const folder = join(tmp, 'registry');
  const dataDir = join(folder, 'data');
  await mkdir(dataDir, { recursive: true });
  const load = { connections: CONNECTIONS, durationS: quick ? 3 : 10, warmupS: quick ? 1 : 2 };
  const adminToken = `bench-${randomBytes(16).toString('hex')}`;
  const auth = { authorization: `Bearer ${adminToken}` };

  const generationStart = process.hrtime.bigint();
  await generateCatalog(join(dataDir, 'plugboard.db'), { plugins: CATALOG_PLUGINS });
  const generationMs = elapsedMs(generationStart);
  log(
    `catalog: ${CATALOG_PLUGINS} plugins × ${CATALOG_VERSIONS.length} versions in ${Math.round(generationMs)} ms`,
  );

  const started = [];
  try {
    const registry = await startRegistry(dataDir, adminToken, undefined);
    started.push(registry.child);
    const quietRegistry = await startRegistry(dataDir, adminToken, 'warn');
    started.push(quietRegistry.child);
    const idleMemory = await memoryOf(registry.child.pid);

    const bodies = {};
    const bytes = {};
    for (const route of ROUTES) {
      const { body, bytes: size } = await fetchJson(`${registry.origin}${route.path}`, auth);
      bodies[route.path] = body;
      bytes[route.id] = size;
    }
    if (bodies[ROUTES[0].path].versions?.length !== CATALOG_VERSIONS.length) {
      throw new Error(
        `the registry's detail of ${PLUGIN} does not list ${CATALOG_VERSIONS.length} versions`,
      );
    }
    const bodiesFile = join(folder, 'bodies.json');
    await writeFile(bodiesFile, JSON.stringify(bodies));

    const bareHttp = await startBareServer(
      'bare-http-server.mjs',
      bodiesFile,
      'the bare node:http server',
    );
    started.push(bareHttp.child);
    const bareFastify = await startBareServer(
      'bare-fastify-server.mjs',
      bodiesFile,
      'the bare Fastify server',
    );
    started.push(bareFastify.child);
    const verdaccio = await startVerdaccio({
      folder: join(folder, 'verdaccio'),
      cpu: SERVER_CPU,
      name: PLUGIN,
      versions: CATALOG_VERSIONS,
    });
    started.push(verdaccio.child);
    const verdaccioBytes = (await fetchJson(verdaccio.url, {})).bytes;

    const figures = [];
    const runs = {};
    const run = async (name, url, headers) => {
      const result = await measureLoad(url, { ...load, headers });
      log(
        `${name}: ${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms${result.failed > 0 ? `, ${result.failed} FAILED` : ''}`,
      );
      runs[name] = result;
      return result;
    };
    for (const route of ROUTES) {
      const subject = await run(`plugboard ${route.id}`, `${registry.origin}${route.path}`, auth);
      const fastify = await run(`fastify ${route.id}`, `${bareFastify.origin}${route.path}`, auth);
      const http = await run(`node:http ${route.id}`, `${bareHttp.origin}${route.path}`, auth);
      figures.push(...routeFigures(route, { subject, fastify, http }, bytes[route.id]));
      if (route.id === 'detail') {
        const peer = await run('verdaccio packument', verdaccio.url, {});
        figures.push(...peerFigures(route, subject, peer, bytes.detail, verdaccioBytes));
        const quiet = await run(
          `plugboard ${route.id} log level warn`,
          `${quietRegistry.origin}${route.path}`,
          auth,
        );
        figures.push(
          checked(
            measured({
              part: 'registry',
              id: 'detail-rps-log-warn',
              label: `${route.label} req/s, PLUGBOARD_LOG_LEVEL=warn`,
              value: quiet.requestsPerSecond,
              unit: 'req/s',
              baseline: { label: 'bare Fastify', value: fastify.requestsPerSecond },
              note: 'the same server with its per-request log lines off (the default level is info), to show what logging costs',
            }),
            quiet,
          ),
        );
      }
    }
    const loadedMemory = await memoryOf(registry.child.pid);
    figures.push(
      measured({
        part: 'registry',
        id: 'rss-idle',
        label: `server RSS after start, ${CATALOG_PLUGINS.toLocaleString('en-US')}-plugin catalog`,
        value: idleMemory.rssMiB,
        unit: 'MiB',
        target: { kind: 'max', limit: 300, text: '< 300 MB (issue 3)' },
      }),
      measured({
        part: 'registry',
        id: 'rss-peak',
        label: 'server peak RSS over the load runs',
        value: loadedMemory.peakRssMiB,
        unit: 'MiB',
        target: { kind: 'max', limit: 300, text: '< 300 MB (issue 3)' },
        note: `VmHWM of the server process after all load runs (RSS then: ${loadedMemory.rssMiB.toFixed(0)} MiB)`,
      }),
      measured({
        part: 'registry',
        id: 'catalog-generation',
        label: `catalog generation (${CATALOG_PLUGINS.toLocaleString('en-US')} × ${CATALOG_VERSIONS.length} versions)`,
        value: generationMs,
        unit: 'ms',
        note: '28 template plugins through MetadataStore.publishVersion, the rest copied row by row in one SQLite transaction; not a figure of the registry',
      }),
    );
    log(
      `pinning: ${canPin() ? `servers on CPU ${SERVER_CPU}, autocannon on CPU ${LOAD_CPU}` : 'unavailable (one CPU or no taskset)'}`,
    );
    return figures;
  } finally {
    for (const child of started.reverse()) await stopProcess(child);
  }
}

/**
 * Accounts for failed requests (errors, timeouts, non-2xx): a subject that drops requests under
 * load has not met its target (and says how many); a baseline that drops requests makes the
 * ratio meaningless, so the figure is not measured.
 */
function checked(figure, subject, ...baselines) {
  const baselineFailed = baselines.reduce((sum, result) => sum + result.failed, 0);
  if (baselineFailed > 0) {
    return {
      ...figure,
      status: 'not measured',
      note: `${baselineFailed} baseline requests failed; the ratio is not valid. ${figure.note ?? ''}`.trim(),
    };
  }
  if (subject.failed === 0) return figure;
  return {
    ...figure,
    status: figure.target === undefined ? figure.status : 'not met',
    note: `${subject.failed} requests failed, timed out (autocannon gives up after 10 s) or were not 2xx. ${figure.note ?? ''}`.trim(),
  };
}

function routeFigures(route, { subject, fastify, http }, bodyBytes) {
  const part = 'registry';
  const isDetail = route.id === 'detail';
  return [
    checked(
      measured({
        part,
        id: `${route.id}-rps`,
        label: `${route.label} req/s`,
        value: subject.requestsPerSecond,
        unit: 'req/s',
        baseline: { label: 'bare Fastify', value: fastify.requestsPerSecond },
        target: { kind: 'ratio-min', limit: 0.8, text: `≥ 0.8× bare Fastify (${route.fromIssue})` },
        note: `${CONNECTIONS} connections; body ${bodyBytes} bytes; default log level (info: a request log line per request)`,
      }),
      subject,
      fastify,
    ),
    checked(
      measured({
        part,
        id: `${route.id}-rps-vs-http`,
        label: `${route.label} req/s vs node:http`,
        value: subject.requestsPerSecond,
        unit: 'req/s',
        baseline: { label: 'bare node:http', value: http.requestsPerSecond },
      }),
      subject,
      http,
    ),
    checked(
      measured({
        part,
        id: `${route.id}-p50`,
        label: `${route.label} p50`,
        value: subject.p50Ms,
        unit: 'ms',
        baseline: { label: 'bare Fastify', value: fastify.p50Ms },
      }),
      subject,
      fastify,
    ),
    checked(
      measured({
        part,
        id: `${route.id}-p99`,
        label: `${route.label} p99`,
        value: subject.p99Ms,
        unit: 'ms',
        baseline: { label: 'bare Fastify', value: fastify.p99Ms },
        ...(isDetail
          ? { target: { kind: 'max', limit: 10, text: '< 10 ms at 50 connections (issue 3)' } }
          : {}),
        note: 'autocannon records latency in whole milliseconds',
      }),
      subject,
      fastify,
    ),
  ];
}

function peerFigures(route, subject, peer, bodyBytes, peerBytes) {
  const note = `Verdaccio 6 packument GET (${peerBytes} bytes, 10 versions) vs the plugin detail (${bodyBytes} bytes); Verdaccio with its default log level (http)`;
  return [
    checked(
      measured({
        part: 'registry',
        id: 'detail-rps-vs-verdaccio',
        label: `${route.label} req/s vs Verdaccio`,
        value: subject.requestsPerSecond,
        unit: 'req/s',
        baseline: { label: 'Verdaccio packument', value: peer.requestsPerSecond },
        note,
      }),
      subject,
      peer,
    ),
    checked(
      measured({
        part: 'registry',
        id: 'detail-p50-vs-verdaccio',
        label: `${route.label} p50 vs Verdaccio`,
        value: subject.p50Ms,
        unit: 'ms',
        baseline: { label: 'Verdaccio packument', value: peer.p50Ms },
      }),
      subject,
      peer,
    ),
    checked(
      measured({
        part: 'registry',
        id: 'detail-p99-vs-verdaccio',
        label: `${route.label} p99 vs Verdaccio`,
        value: subject.p99Ms,
        unit: 'ms',
        baseline: { label: 'Verdaccio packument', value: peer.p99Ms },
      }),
      subject,
      peer,
    ),
  ];
}
