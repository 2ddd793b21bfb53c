import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { commandWorks, makeTempDir } from '@plugboard/test-support';
import {
  PLUGIN_LAYER_MEDIA_TYPE,
  SIGNATURES_ANNOTATION,
  type ArtifactSignature,
} from '../../src/index.js';

/** True when Debian's `docker-registry` (CNCF distribution) is installed. */
export function dockerRegistryAvailable(): boolean {
  return commandWorks('docker-registry', ['--version']);
}

/** A docker-registry process on 127.0.0.1 with its own storage (as the server's tests start one). */
export interface TestOciRegistry {
  /** `127.0.0.1:<port>`, as an `oci://` reference names it. */
  readonly host: string;
  stop(): Promise<void>;
}

/** Starts `docker-registry serve` on a free port and waits until `/v2/` answers. */
export async function startOciRegistry(): Promise<TestOciRegistry> {
  const dir = makeTempDir('plugboard-oci-');
  const port = await freePort();
  const configPath = join(dir.path, 'config.yml');
  writeFileSync(
    configPath,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir.path, 'storage')}`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  const child = spawn('docker-registry', ['serve', configPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    dir.remove();
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await fetch(`http://127.0.0.1:${port}/v2/`)
      .then(async (response) => {
        await response.body?.cancel();
        return response.status === 200;
      })
      .catch(() => false);
    if (ready) return { host: `127.0.0.1:${port}`, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Pushes a plugin package as an OCI artifact through the distribution API: an empty config blob,
 * the package as a `application/vnd.plugboard.plugin.v1+tar+gzip` layer, and an OCI image manifest
 * (with signatures in an annotation) under `tag`. Returns the manifest digest.
 */
export async function pushPluginArtifact(
  host: string,
  repository: string,
  tag: string,
  pkg: Buffer,
  signatures: readonly ArtifactSignature[] = [],
): Promise<string> {
  const base = `http://${host}/v2/${repository}`;
  const upload = async (content: Buffer): Promise<string> => {
    const digest = `sha256:${createHash('sha256').update(content).digest('hex')}`;
    const start = await fetch(`${base}/blobs/uploads/`, { method: 'POST' });
    await start.body?.cancel();
    if (start.status !== 202) throw new Error(`blob upload start: HTTP ${start.status}`);
    const location = new URL(start.headers.get('location') ?? '', `http://${host}`);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: content,
    });
    await put.body?.cancel();
    if (put.status !== 201) throw new Error(`blob upload: HTTP ${put.status}`);
    return digest;
  };
  const config = Buffer.from('{}');
  const configDigest = await upload(config);
  const layerDigest = await upload(pkg);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.plugboard.plugin.config.v1+json',
        size: config.length,
        digest: configDigest,
      },
      layers: [{ mediaType: PLUGIN_LAYER_MEDIA_TYPE, size: pkg.length, digest: layerDigest }],
      ...(signatures.length === 0
        ? {}
        : { annotations: { [SIGNATURES_ANNOTATION]: JSON.stringify(signatures) } }),
    }),
  );
  const response = await fetch(`${base}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body: manifest,
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`manifest PUT: HTTP ${response.status} ${text}`);
  return `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}
