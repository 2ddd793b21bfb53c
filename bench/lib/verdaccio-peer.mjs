// The peer registry: Verdaccio (bench/node_modules) on loopback with its default settings except
// no uplink, serving one packument written straight into its storage folder — 10 versions, about
// the size of the Plugboard plugin detail it is compared with.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, pinned, spawnTracked, stopProcess } from './child-processes.mjs';

const VERDACCIO_BIN = fileURLToPath(
  new URL('../node_modules/verdaccio/bin/verdaccio', import.meta.url),
);
const READY_TIMEOUT_MS = 60_000;

/** Verdaccio's default config, minus the npmjs uplink (nothing outside loopback is reachable). */
function config() {
  return `storage: ./storage
auth:
  htpasswd:
    file: ./htpasswd
uplinks: {}
packages:
  '**':
    access: $all
    publish: $authenticated
    unpublish: $authenticated
server:
  keepAliveTimeout: 60
log:
  type: stdout
  format: pretty
  level: http
`;
}

/** A packument with these versions, in the shape Verdaccio's local storage keeps. */
function packument(name, versions, origin) {
  const time = { created: '2026-01-01T00:00:00.000Z', modified: '2026-01-02T00:00:00.000Z' };
  const entries = {};
  const attachments = {};
  for (const version of versions) {
    const shasum = createHash('sha1').update(`${name}@${version}`).digest('hex');
    const file = `${name}-${version}.tgz`;
    entries[version] = {
      name,
      version,
      description: `Generated plugin ${name} for the read benchmarks; version ${version}.`,
      main: 'dist/main.js',
      license: 'Apache-2.0',
      dist: { shasum, tarball: `${origin}/${name}/-/${file}` },
    };
    attachments[file] = { shasum, version };
    time[version] = '2026-01-01T00:00:00.000Z';
  }
  return {
    name,
    versions: entries,
    time,
    'dist-tags': { latest: versions.at(-1) },
    _uplinks: {},
    _distfiles: {},
    _attachments: attachments,
    _rev: '1-0000000000000000',
    readme: '',
  };
}

/**
 * Starts Verdaccio pinned to `cpu` in `folder`, serving the packument of `name`; resolves once
 * `/-/ping` answers. Stop it with `stopProcess(peer.child)`.
 */
export async function startVerdaccio({ folder, cpu, name, versions }) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  await mkdir(join(folder, 'storage', name), { recursive: true });
  await writeFile(join(folder, 'config.yaml'), config());
  await writeFile(join(folder, 'htpasswd'), '');
  await writeFile(
    join(folder, 'storage', name, 'package.json'),
    JSON.stringify(packument(name, versions, origin), null, 2),
  );
  const [command, args] = pinned(cpu, process.execPath, [
    VERDACCIO_BIN,
    '--config',
    join(folder, 'config.yaml'),
    '--listen',
    `127.0.0.1:${port}`,
  ]);
  const child = spawnTracked(command, args, { cwd: folder, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk.toString('utf8')).slice(-4_000)));
  try {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`Verdaccio exited (${child.exitCode}): ${stderr}`);
      const ok = await globalThis.fetch(`${origin}/-/ping`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline)
        throw new Error(`Verdaccio was not ready after ${READY_TIMEOUT_MS} ms: ${stderr}`);
      await sleep(200);
    }
    return { child, origin, url: `${origin}/${name}` };
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
}
