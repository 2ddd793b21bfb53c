// HTTP load from a separate process: autocannon (bench/node_modules) pinned to its own CPU, with a
// hard time limit, so the load generator neither shares the server's core nor outlives its run.
import { fileURLToPath } from 'node:url';
import { pinned, runBounded } from './child-processes.mjs';

const AUTOCANNON = fileURLToPath(
  new URL('../node_modules/autocannon/autocannon.js', import.meta.url),
);
/** Extra time a load run may take beyond its duration before it is killed. */
const LOAD_RUN_GRACE_MS = 30_000;

/** CPU the load generator runs on; servers run on `SERVER_CPU`. */
export const LOAD_CPU = 1;
/** CPU the servers under test run on. */
export const SERVER_CPU = 0;

async function autocannon(url, { connections, durationS, headers }) {
  const args = [AUTOCANNON, '-j', '-c', String(connections), '-d', String(durationS)];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  args.push(url);
  const [command, commandArgs] = pinned(LOAD_CPU, process.execPath, args);
  const result = await runBounded(command, commandArgs, {
    timeoutMs: durationS * 1000 + LOAD_RUN_GRACE_MS,
  });
  if (result.timedOut) throw new Error(`autocannon on ${url} did not finish in time`);
  if (result.code !== 0)
    throw new Error(`autocannon on ${url} failed (${result.code}): ${result.stderr.slice(0, 500)}`);
  return JSON.parse(result.stdout);
}

/**
 * Loads `url` with `connections` connections: a discarded warm-up of `warmupS` seconds, then
 * `durationS` measured seconds. Returns req/s (mean over the run), p50 and p99 latency in ms,
 * and the count of failed requests (errors, timeouts, non-2xx).
 */
export async function measureLoad(url, { connections, durationS, warmupS, headers = {} }) {
  if (warmupS > 0) await autocannon(url, { connections, durationS: warmupS, headers });
  const report = await autocannon(url, { connections, durationS, headers });
  return {
    requestsPerSecond: report.requests.total / ((report.duration ?? durationS) || durationS),
    p50Ms: report.latency.p50,
    p99Ms: report.latency.p99,
    failed: (report.errors ?? 0) + (report.timeouts ?? 0) + (report.non2xx ?? 0),
    requests: report.requests.total,
    bytesPerResponse:
      report.requests.total > 0 ? report.throughput.total / report.requests.total : NaN,
  };
}
