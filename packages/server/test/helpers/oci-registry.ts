import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPrivateKey, randomUUID, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandWorks, makeTempDir } from '@plugboard/test-support';

/** The folder holding the htpasswd file and the token signing key and certificate. */
export const OCI_FIXTURES_DIR = fileURLToPath(
  new URL('../../../test/fixtures/oci-registry/', import.meta.url),
);
/** The user and password in the fixture htpasswd file. */
export const REGISTRY_USER = { username: 'plugboard', password: 'registry-pass' } as const;
/** The `service` and `issuer` the token-auth registry expects in JWTs. */
export const TOKEN_SERVICE = 'plugboard-test-registry';
const TOKEN_ISSUER = 'plugboard-test-issuer';

/** True when Debian's `docker-registry` (CNCF distribution) is installed. */
export function dockerRegistryAvailable(): boolean {
  return commandWorks('docker-registry', ['--version']);
}

/** How the test registry authenticates. */
export type RegistryAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'basic' }
  | { readonly kind: 'token'; readonly realm: string };

/** A docker-registry process on 127.0.0.1 with its own storage. */
export interface TestRegistry {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (closed again before returning; races are unlikely in tests). */
export async function freePort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** Starts `docker-registry serve` with a temp storage dir and config file; waits until it answers. */
export async function startTestRegistry(
  auth: RegistryAuth = { kind: 'none' },
): Promise<TestRegistry> {
  const dir = makeTempDir('plugboard-oci-');
  const port = await freePort();
  const authBlock =
    auth.kind === 'basic'
      ? `auth:\n  htpasswd:\n    realm: plugboard-test\n    path: ${join(OCI_FIXTURES_DIR, 'htpasswd')}\n`
      : auth.kind === 'token'
        ? `auth:\n  token:\n    realm: ${auth.realm}\n    service: ${TOKEN_SERVICE}\n    issuer: ${TOKEN_ISSUER}\n    rootcertbundle: ${join(OCI_FIXTURES_DIR, 'token-signing-cert.pem')}\n`
        : '';
  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir.path, 'storage')}`,
    'http:',
    `  addr: 127.0.0.1:${port}`,
    authBlock,
  ].join('\n');
  const configPath = join(dir.path, 'config.yml');
  writeFileSync(configPath, config);
  const child: ChildProcess = spawn('docker-registry', ['serve', configPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    dir.remove();
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      dir.remove();
      throw new Error(`docker-registry exited: ${stderr}`);
    }
    const ready = await fetch(`${url}/v2/`)
      .then(async (response) => {
        await response.body?.cancel();
        return response.status === 200 || response.status === 401;
      })
      .catch(() => false);
    if (ready) return { url, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A JWT the token-auth registry accepts, granting `actions` on `repository`. */
export function mintRegistryToken(repository: string, actions: readonly string[]): string {
  const certPem = readFileSync(join(OCI_FIXTURES_DIR, 'token-signing-cert.pem'), 'utf8');
  const certDer = certPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const key = createPrivateKey(readFileSync(join(OCI_FIXTURES_DIR, 'token-signing-key.pem')));
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: 'JWT', alg: 'RS256', x5c: [certDer] };
  const claims = {
    iss: TOKEN_ISSUER,
    sub: REGISTRY_USER.username,
    aud: TOKEN_SERVICE,
    exp: now + 600,
    nbf: now - 60,
    iat: now,
    jti: randomUUID(),
    access: repository === '' ? [] : [{ type: 'repository', name: repository, actions }],
  };
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput), key).toString('base64url');
  return `${signingInput}.${signature}`;
}

/**
 * Pushes one tiny image (a config blob, one layer, a schema-2 manifest) under each of `tags`
 * through the distribution API: blob upload (POST then PUT with the digest) and manifest PUT.
 */
export async function pushImageTags(
  registryUrl: string,
  repository: string,
  tags: readonly string[],
  authorization?: string,
): Promise<void> {
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
  const uploadBlob = async (content: Buffer): Promise<string> => {
    const digest = `sha256:${createHash('sha256').update(content).digest('hex')}`;
    const start = await fetch(`${registryUrl}/v2/${repository}/blobs/uploads/`, {
      method: 'POST',
      headers,
    });
    await start.body?.cancel();
    if (start.status !== 202) throw new Error(`blob upload start: HTTP ${start.status}`);
    const location = new URL(start.headers.get('location') ?? '', registryUrl);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      body: content,
    });
    await put.body?.cancel();
    if (put.status !== 201) throw new Error(`blob upload: HTTP ${put.status}`);
    return digest;
  };
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [] },
    }),
  );
  const layer = Buffer.from(`layer of ${repository}`);
  const configDigest = await uploadBlob(config);
  const layerDigest = await uploadBlob(layer);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: {
      mediaType: 'application/vnd.docker.container.image.v1+json',
      size: config.length,
      digest: configDigest,
    },
    layers: [
      {
        mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
        size: layer.length,
        digest: layerDigest,
      },
    ],
  });
  for (const tag of tags) {
    const response = await fetch(`${registryUrl}/v2/${repository}/manifests/${tag}`, {
      method: 'PUT',
      headers: {
        ...headers,
        'content-type': 'application/vnd.docker.distribution.manifest.v2+json',
      },
      body: manifest,
    });
    const text = await response.text();
    if (response.status !== 201)
      throw new Error(`manifest PUT ${tag}: HTTP ${response.status} ${text}`);
  }
}
