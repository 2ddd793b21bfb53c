// Part 4: collection ingest — the write path of a collection run: ProviderStore.ingestResources in
// batches of 500 (the collection run executor's batch size), 200,000 resources into SQLite and into
// PostgreSQL, first as new resources, then the same resources again unchanged (a re-collection).
// The plugin → host → executor path in front of it is not part of this figure.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { measured, notMeasured } from '../lib/figures.mjs';
import { elapsedMs } from '../lib/stats.mjs';

const RESOURCES = 200_000;
const QUICK_RESOURCES = 40_000;
const BATCH_SIZE = 500;
const DOMAIN_ID = 'default';
const POSTGRES_URLS = [
  process.env.PLUGBOARD_BENCH_POSTGRES_URL,
  'postgres://postgres@127.0.0.1:5432/test',
  'postgres://root@127.0.0.1:5432/test',
].filter((url) => url !== undefined);
const PROBE_TIMEOUT_MS = 3_000;

/** The i-th resource of a vCenter-like inventory: hosts, VMs on them, datastores. */
function resource(i) {
  const kind = i % 10 === 0 ? 'host' : i % 10 === 1 ? 'datastore' : 'vm';
  const host = `host-${String(Math.floor(i / 10) * 10).padStart(7, '0')}`;
  const emsRef = kind === 'host' ? host : `${kind}-${String(i).padStart(7, '0')}`;
  return {
    emsRef,
    resourceType: kind,
    name: `${kind} ${i}`,
    state: kind === 'vm' ? (i % 7 === 0 ? 'stopped' : 'running') : 'available',
    properties: {
      cpu_count: 2 + (i % 16),
      memory_mb: 1024 * (1 + (i % 32)),
      guest_os: i % 3 === 0 ? 'ubuntu-22.04' : 'rhel-9',
      ip_address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    },
    ...(kind === 'vm'
      ? { parentEmsRef: host, relationships: [{ type: 'runs_on', targetEmsRef: host }] }
      : {}),
    tags: { env: i % 2 === 0 ? 'prod' : 'dev', team: `team-${i % 20}` },
  };
}

/**
 * Ingests resources 0…count-1 in batches; returns the total time, the counts, and the rates of the
 * first and the last tenth (a rate that falls as the table grows points at a scan per batch).
 */
async function ingestAll(store, target, count) {
  const totals = { created: 0, updated: 0, unchanged: 0 };
  const tenth = Math.max(BATCH_SIZE, Math.floor(count / 10 / BATCH_SIZE) * BATCH_SIZE);
  let firstTenthMs = NaN;
  let lastTenthStart;
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let first = 0; first < count; first += BATCH_SIZE) {
    if (first === tenth) firstTenthMs = elapsedMs(start);
    if (first === count - tenth) lastTenthStart = process.hrtime.bigint();
    const batch = [];
    for (let i = first; i < Math.min(count, first + BATCH_SIZE); i++) batch.push(resource(i));
    const counts = await store.ingestResources(target, batch);
    totals.created += counts.created;
    totals.updated += counts.updated;
    totals.unchanged += counts.unchanged;
  }
  const lastTenthMs = lastTenthStart === undefined ? NaN : elapsedMs(lastTenthStart);
  const cpu = process.cpuUsage(cpuStart);
  return {
    ms: elapsedMs(start),
    // This process's CPU time per resource (for SQLite all of the work, the database included):
    // unlike the rate, it hardly moves with the machine's load.
    cpuMicrosPerResource: (cpu.user + cpu.system) / count,
    totals,
    firstTenthPerS: tenth / (firstTenthMs / 1000),
    lastTenthPerS: tenth / (lastTenthMs / 1000),
  };
}

async function newRun(store, workerId) {
  const provider = await store.createProvider(DOMAIN_ID, {
    name: `bench-vcenter-${randomBytes(4).toString('hex')}`,
    vendor: 'vmware',
    providerType: 'vcenter',
    config: { endpoint: 'vcenter.example.test' },
    secretKeys: [],
  });
  const queued = await store.createRun(DOMAIN_ID, provider.id);
  const claimed = await store.claimRun(workerId);
  if (claimed?.id !== queued.id)
    throw new Error('the benchmark could not claim its own collection run');
  return { provider, run: claimed };
}

/** Ingests `count` resources as new, then again unchanged in a second run; returns both rates. */
async function measureBackend(openProviderStore, url, count) {
  const store = await openProviderStore(url);
  try {
    const first = await newRun(store, 'bench-1');
    const target = { runId: first.run.id, domainId: DOMAIN_ID, providerId: first.provider.id };
    const fresh = await ingestAll(store, target, count);
    if (fresh.totals.created !== count)
      throw new Error(`first ingest created ${fresh.totals.created} of ${count}`);
    const finished = await store.finishRun(first.run.id, 'bench-1', {
      state: 'completed',
      counts: { found: count, ...fresh.totals, removed: 0, invalid: 0 },
    });
    if (finished?.state !== 'completed')
      throw new Error('the benchmark could not finish its first run');
    const queued = await store.createRun(DOMAIN_ID, first.provider.id);
    const claimed = await store.claimRun('bench-2');
    if (claimed?.id !== queued.id) throw new Error('the benchmark could not claim its second run');
    const again = await ingestAll(store, { ...target, runId: claimed.id }, count);
    if (again.totals.unchanged !== count) {
      throw new Error(
        `re-ingest found ${again.totals.unchanged} of ${count} unchanged (${JSON.stringify(again.totals)})`,
      );
    }
    return {
      freshPerS: count / (fresh.ms / 1000),
      againPerS: count / (again.ms / 1000),
      fresh,
      again,
    };
  } finally {
    await store.close();
  }
}

async function findPostgres(pg) {
  for (const url of POSTGRES_URLS) {
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: PROBE_TIMEOUT_MS,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      return url;
    } catch {
      // the next candidate
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return undefined;
}

async function dropSchema(pg, url, schema) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** The benchmark process's CPU per resource, and what it alone would allow. */
function cpuNote(backend, pass) {
  const micros = pass.cpuMicrosPerResource;
  const whose = backend === 'sqlite' ? 'process CPU' : 'client CPU (the server not counted)';
  return `${whose} ${micros.toFixed(1)} µs/resource (≤ ${Math.round(1e6 / micros / 1000)}k/s on one idle core)`;
}

function figures(backend, rates, count, limit) {
  const label = backend === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  return [
    measured({
      part: 'ingest',
      id: `ingest-${backend}`,
      label: `ingest of ${count.toLocaleString('en-US')} new resources, ${label}`,
      value: rates.freshPerS,
      unit: 'res/s',
      target: { kind: 'min', limit, text: `≥ ${limit / 1000}k/s (issue 6)` },
      note: `ProviderStore.ingestResources in batches of ${BATCH_SIZE}, one transaction each, sequential; first tenth ${Math.round(rates.fresh.firstTenthPerS)}/s, last tenth ${Math.round(rates.fresh.lastTenthPerS)}/s; ${cpuNote(backend, rates.fresh)}; the plugin → host → executor path is not included`,
    }),
    measured({
      part: 'ingest',
      id: `reingest-${backend}`,
      label: `re-ingest of the same ${count.toLocaleString('en-US')} resources unchanged, ${label}`,
      value: rates.againPerS,
      unit: 'res/s',
      note: `a second run over the same resources; first tenth ${Math.round(rates.again.firstTenthPerS)}/s, last tenth ${Math.round(rates.again.lastTenthPerS)}/s; ${cpuNote(backend, rates.again)}`,
    }),
  ];
}

/** Collection ingest into SQLite and PostgreSQL. */
export async function runIngest({ quick, tmp, log }) {
  const count = quick ? QUICK_RESOURCES : RESOURCES;
  const store = await import('@plugboard/store');
  if (typeof store.openProviderStore !== 'function') {
    return ['sqlite', 'postgres'].map((backend) =>
      notMeasured({
        part: 'ingest',
        id: `ingest-${backend}`,
        label: `collection ingest, ${backend}`,
        reason: 'not measured: providers not built (@plugboard/store exports no openProviderStore)',
      }),
    );
  }
  const results = [];
  const sqlite = await measureBackend(
    store.openProviderStore,
    `sqlite:${join(tmp, 'ingest', 'plugboard.db')}`,
    count,
  );
  log(
    `ingest SQLite: ${Math.round(sqlite.freshPerS)} new/s, ${Math.round(sqlite.againPerS)} unchanged/s`,
  );
  results.push(...figures('sqlite', sqlite, count, 50_000));

  const { default: pg } = await import('pg');
  const url = await findPostgres(pg);
  if (url === undefined) {
    results.push(
      notMeasured({
        part: 'ingest',
        id: 'ingest-postgres',
        label: 'collection ingest, PostgreSQL',
        target: { kind: 'min', limit: 20_000, text: '≥ 20k/s (issue 6)' },
        reason: `not measured: no PostgreSQL at ${POSTGRES_URLS.join(' or ')} (set PLUGBOARD_BENCH_POSTGRES_URL)`,
      }),
    );
    return results;
  }
  const schema = `pb_bench_${randomBytes(6).toString('hex')}`;
  try {
    const postgres = await measureBackend(
      store.openProviderStore,
      `${url}?schema=${schema}`,
      count,
    );
    log(
      `ingest PostgreSQL: ${Math.round(postgres.freshPerS)} new/s, ${Math.round(postgres.againPerS)} unchanged/s`,
    );
    results.push(...figures('postgres', postgres, count, 20_000));
  } finally {
    await dropSchema(pg, url, schema);
  }
  return results;
}
