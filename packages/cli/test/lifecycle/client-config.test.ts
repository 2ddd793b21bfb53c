import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeTempDir } from '@plugboard/test-support';
import { loadClientConfig } from '../../src/client-config/load-client-config.js';
import {
  clientWorkspace,
  pluginPackage,
  startRegistryServer,
  writePackage,
  type TestRegistryServer,
} from './plugboard-workspace.js';

let first: TestRegistryServer;
let second: TestRegistryServer;

before(async () => {
  [first, second] = await Promise.all([startRegistryServer(), startRegistryServer()]);
});
after(async () => {
  await Promise.all([first.close(), second.close()]);
});

test("seed 003's shape: discovery.registries, ${VAR} expansion, durations, relative paths, api_key auth", async () => {
  const dir = makeTempDir();
  try {
    const file = join(dir.path, 'plugboard.yaml');
    writeFileSync(
      file,
      `discovery:
  filesystem: {enabled: true}
  registries:
    - name: "community"
      url: "https://registry.example.dev"
      priority: 1
      timeout: "30s"
      auth:
        type: "none"
    - name: "enterprise"
      url: "https://enterprise-registry.internal/api/v1"
      priority: 2
      timeout: "60s"
      auth:
        type: "api_key"
        api_key: "\${REGISTRY_API_KEY}"
install_root: ./plugins
trust:
  require_signatures: \${REQUIRE:-false}
`,
    );
    const config = await loadClientConfig({
      env: { REGISTRY_API_KEY: 'pb_secret', HOME: dir.path },
      cwd: '/',
      configFlag: file,
    });
    assert.deepEqual(
      config.registries.map((r) => [r.name, r.url, r.priority, r.timeoutMs, r.auth.type]),
      [
        ['community', 'https://registry.example.dev/api/v1', 1, 30_000, 'none'],
        ['enterprise', 'https://enterprise-registry.internal/api/v1', 2, 60_000, 'api_key'],
      ],
    );
    assert.deepEqual(config.registries[1]?.auth, { type: 'api_key', apiKey: 'pb_secret' });
    assert.equal(config.installRoot, join(dir.path, 'plugins'));
    assert.equal(config.trust.requireSignatures, false);
    const strict = await loadClientConfig({
      env: { REGISTRY_API_KEY: 'x', REQUIRE: 'true' },
      cwd: '/',
      configFlag: file,
    });
    assert.equal(strict.trust.requireSignatures, true);
    await assert.rejects(
      loadClientConfig({
        env: { REGISTRY_API_KEY: 'x', REQUIRE: 'maybe' },
        cwd: '/',
        configFlag: file,
      }),
      (error: Error & { code?: string; details?: { problems?: { path: string }[] } }) =>
        error.code === 'CONFIG_INVALID' &&
        error.details?.problems?.some((p) => p.path === 'trust.require_signatures') === true,
    );
  } finally {
    dir.remove();
  }
});

test('every problem in a config is reported at once with its path; an unset variable says how to fix it', async () => {
  const client = clientWorkspace(undefined, undefined);
  try {
    client.writeConfig(
      `registries:\n  - name: Bad_Name\n    url: ftp://x\n    timeout: soon\n    auth: {type: bearer, token: "\${UNSET_TOKEN}"}\ninstal_root: /tmp\n`,
    );
    const result = await client.run(['list', '--json']);
    assert.equal(result.code, 3);
    const error = (
      JSON.parse(result.stdout) as {
        error: { code: string; details: { problems: { path: string; message: string }[] } };
      }
    ).error;
    assert.equal(error.code, 'CONFIG_INVALID');
    const paths = error.details.problems.map((p) => p.path).sort();
    assert.deepEqual(paths, [
      'instal_root',
      'registries[0].auth.token',
      'registries[0].auth.token',
      'registries[0].name',
      'registries[0].timeout',
      'registries[0].url',
    ]);
    assert.ok(
      error.details.problems.some((p) => /UNSET_TOKEN.*\$\{UNSET_TOKEN:-\}/.test(p.message)),
    );
    const missing = await client.run(['list', '--config', 'nope.yaml']);
    assert.equal(missing.code, 4);
    assert.match(missing.stderr, /config file .*nope\.yaml does not exist/);
  } finally {
    client.remove();
  }
});

test('XDG_CONFIG_HOME and XDG_DATA_HOME place the config and the install root when PLUGBOARD_HOME is unset', async () => {
  const dir = makeTempDir();
  try {
    mkdirSync(join(dir.path, 'cfg', 'plugboard'), { recursive: true });
    writeFileSync(join(dir.path, 'cfg', 'plugboard', 'config.yaml'), 'registries: []\n');
    const config = await loadClientConfig({
      env: {
        HOME: dir.path,
        XDG_CONFIG_HOME: join(dir.path, 'cfg'),
        XDG_DATA_HOME: join(dir.path, 'data'),
      },
      cwd: dir.path,
    });
    assert.equal(config.paths.configFile, join(dir.path, 'cfg', 'plugboard', 'config.yaml'));
    assert.equal(config.installRoot, join(dir.path, 'data', 'plugboard', 'plugins'));
    assert.equal(config.cacheDir, join(dir.path, '.cache', 'plugboard'));
  } finally {
    dir.remove();
  }
});

test('registries are asked in priority order: the lower number wins, a plugin only in the next one is found there, a dead one is skipped', async () => {
  const client = clientWorkspace(undefined, undefined);
  try {
    const publish = async (origin: string, token: string, bytes: Buffer) => {
      const publisher = clientWorkspace(origin, token);
      try {
        writePackage(publisher, 'p.tgz', bytes);
        assert.equal((await publisher.run(['publish', 'p.tgz'])).code, 0);
      } finally {
        publisher.remove();
      }
    };
    await publish(
      first.origin,
      first.adminToken,
      pluginPackage('shared', '1.0.0', { flavour: 'first' }),
    );
    await publish(
      second.origin,
      second.adminToken,
      pluginPackage('shared', '9.0.0', { flavour: 'second' }),
    );
    await publish(second.origin, second.adminToken, pluginPackage('only-second', '1.0.0'));
    client.writeConfig(`registries:
  - name: dead
    url: http://127.0.0.1:9
    priority: 0
    timeout: 2s
  - name: two
    url: ${second.origin}
    priority: 20
    auth: {type: bearer, token: "\${T2}"}
  - name: one
    url: ${first.origin}
    priority: 10
    auth: {type: bearer, token: "\${T1}"}
`);
    const env = { T1: first.adminToken, T2: second.adminToken };
    let result = await client.run(['install', 'shared', 'only-second', '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    const plugins = (
      JSON.parse(result.stdout) as { plugins: { name: string; version: string; source: string }[] }
    ).plugins;
    assert.deepEqual(
      plugins.map((p) => [p.name, p.version, p.source]),
      [
        ['shared', '1.0.0', 'one:shared@1.0.0'],
        ['only-second', '1.0.0', 'two:only-second@1.0.0'],
      ],
    );
    assert.match(result.stderr, /registry "dead" was skipped: UNAVAILABLE/);
    result = await client.run(['install', 'two:shared'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /updated shared 1\.0\.0 → 9\.0\.0/);
    result = await client.run(['search', 'shared', '--json'], env);
    const found = (JSON.parse(result.stdout) as { plugins: { name: string; registry: string }[] })
      .plugins;
    assert.deepEqual(
      found.map((p) => [p.name, p.registry]),
      [['shared', 'one']],
    );
  } finally {
    client.remove();
  }
});

test('s3:// installs through an S3-compatible endpoint with SigV4 credentials from the environment', async () => {
  const bytes = pluginPackage('bucketed', '1.0.0');
  const seen: string[] = [];
  const endpoint = createServer((request, response) => {
    seen.push(`${request.url ?? ''} ${request.headers.authorization ?? ''}`);
    if (request.url === '/plugins/bucketed.tgz') response.writeHead(200).end(bytes);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  const address = endpoint.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const client = clientWorkspace(undefined, undefined);
  try {
    client.writeConfig(
      `s3:\n  endpoint: http://127.0.0.1:${port}\n  region: eu-central-1\n  access_key_id: \${AWS_ACCESS_KEY_ID}\n  secret_access_key: \${AWS_SECRET_ACCESS_KEY}\n  session_token: \${AWS_SESSION_TOKEN:-}\n`,
    );
    const result = await client.run(['install', 's3://plugins/bucketed.tgz', '--json'], {
      AWS_ACCESS_KEY_ID: 'AKIDCLI',
      AWS_SECRET_ACCESS_KEY: 'secret',
    });
    assert.equal(result.code, 0, result.stderr);
    const [installed] = (
      JSON.parse(result.stdout) as { plugins: { name: string; source: string }[] }
    ).plugins;
    assert.deepEqual(
      [installed?.name, installed?.source],
      ['bucketed', 's3://plugins/bucketed.tgz'],
    );
    assert.ok(
      seen.some((line) =>
        /^\/plugins\/bucketed\.tgz AWS4-HMAC-SHA256 Credential=AKIDCLI\/\d{8}\/eu-central-1\/s3\//.test(
          line,
        ),
      ),
      seen.join('\n'),
    );
  } finally {
    endpoint.close();
    client.remove();
  }
});

test('keys generate writes a private key only its owner can read, and refuses to overwrite it', async () => {
  const client = clientWorkspace(undefined, undefined);
  try {
    const result = await client.run(['keys', 'generate']);
    assert.equal(result.code, 0, result.stderr);
    const id = /generated Ed25519 key "(ed25519:[0-9a-f]{16})"/.exec(result.stdout)?.[1];
    assert.ok(id !== undefined, result.stdout);
    const keyFile = join(client.home, 'keys', `${id.replace(':', '_')}.key`);
    assert.ok(existsSync(keyFile));
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.match(result.stdout, /trust:\n {2}require_signatures: true\n {2}keys:/);
    const listed = await client.run(['keys', 'list', '--json']);
    assert.deepEqual(
      (JSON.parse(listed.stdout) as { keys: { key_id: string }[] }).keys.map((k) => k.key_id),
      [id],
    );
  } finally {
    client.remove();
  }
});
