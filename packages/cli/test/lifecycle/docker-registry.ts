import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { commandWorks, makeTempDir } from '@plugboard/test-support';

/** True when Debian's `docker-registry` (CNCF distribution) is installed. */
export function dockerRegistryAvailable(): boolean {
  return commandWorks('docker-registry', ['--version']);
}

/** A docker-registry on 127.0.0.1 (started as the server's tests start one). */
export interface DockerRegistry {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts `docker-registry serve` with temp storage on a free port; waits until `/v2/` answers. */
export async function startDockerRegistry(): Promise<DockerRegistry> {
  const dir = makeTempDir('plugboard-cli-oci-');
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const configPath = join(dir.path, 'config.yml');
  writeFileSync(
    configPath,
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir.path, 'storage')}\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const child = spawn('docker-registry', ['serve', configPath], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    dir.remove();
  };
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const ready = await fetch(`${url}/v2/`)
      .then(async (response) => {
        await response.body?.cancel();
        return response.ok;
      })
      .catch(() => false);
    if (ready) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error('docker-registry did not start');
}

/** Pushes one tiny image under each tag (config blob, one layer, a schema-2 manifest). */
export async function pushImageTags(
  url: string,
  repository: string,
  tags: readonly string[],
): Promise<void> {
  const upload = async (content: Buffer): Promise<string> => {
    const digest = `sha256:${createHash('sha256').update(content).digest('hex')}`;
    const start = await fetch(`${url}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
    await start.body?.cancel();
    const location = new URL(start.headers.get('location') ?? '', url);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, {
      method: 'PUT',
      body: content,
      headers: { 'content-type': 'application/octet-stream' },
    });
    await put.body?.cancel();
    if (put.status !== 201) throw new Error(`blob upload: HTTP ${put.status}`);
    return digest;
  };
  const config = Buffer.from(
    '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}',
  );
  const layer = Buffer.from(`layer of ${repository}`);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: {
      mediaType: 'application/vnd.docker.container.image.v1+json',
      size: config.length,
      digest: await upload(config),
    },
    layers: [
      {
        mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
        size: layer.length,
        digest: await upload(layer),
      },
    ],
  });
  for (const tag of tags) {
    const response = await fetch(`${url}/v2/${repository}/manifests/${tag}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.docker.distribution.manifest.v2+json' },
      body: manifest,
    });
    await response.body?.cancel();
    if (response.status !== 201) throw new Error(`manifest PUT ${tag}: HTTP ${response.status}`);
  }
}
