import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadServerConfig } from '@plugboard/server';
import { makeTempDir } from '@plugboard/test-support';

const dir = makeTempDir();
after(() => dir.remove());

test('defaults give an embedded SQLite registry in ./plugboard-data', async () => {
  const config = await loadServerConfig({}, {}, dir.path);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.port, 7400);
  assert.equal(config.dataDir, join(dir.path, 'plugboard-data'));
  assert.equal(config.database, `sqlite:${join(dir.path, 'plugboard-data', 'plugboard.db')}`);
  assert.ok(Object.isFrozen(config));
});

test('file < environment < flags', async () => {
  const file = join(dir.path, 'server.yaml');
  writeFileSync(file, 'port: 7000\nhost: 0.0.0.0\nlog_level: warn\nmanaged: [cat-a]\n');
  const config = await loadServerConfig(
    { config: file, port: '7002', managed: ['cat-c'] },
    {
      PLUGBOARD_PORT: '7001',
      PLUGBOARD_HOST: '127.0.0.2',
      PLUGBOARD_ADMIN_PASSWORD: 'correct horse',
    },
    dir.path,
  );
  assert.equal(config.port, 7002);
  assert.equal(config.host, '127.0.0.2');
  assert.equal(config.logLevel, 'warn');
  assert.deepEqual(config.managedDirs, [join(dir.path, 'cat-c')]);
  assert.equal(config.adminPassword, 'correct horse');
});

test('every invalid key is named at once, and secrets are never echoed', async () => {
  const file = join(dir.path, 'bad.yaml');
  writeFileSync(file, 'port: 99999\nunknown_key: 1\nadmin_password: short\n');
  await assert.rejects(loadServerConfig({ config: file }, {}, dir.path), (error: unknown) => {
    const { code, problems, message } = error as {
      code: string;
      problems: { path: string }[];
      message: string;
    };
    assert.equal(code, 'CONFIG_INVALID');
    const paths = problems.map((p) => p.path);
    assert.ok(
      paths.includes('port') && paths.includes('unknown_key') && paths.includes('admin_password'),
      paths.join(),
    );
    assert.ok(!message.includes('short'));
    return true;
  });
  await assert.rejects(loadServerConfig({ port: 'eighty' }, {}, dir.path), {
    code: 'CONFIG_INVALID',
  });
  await assert.rejects(loadServerConfig({ database: 'mysql://x' }, {}, dir.path), {
    code: 'CONFIG_INVALID',
  });
});

test('trusted_keys are parsed into Ed25519 keys; a bad key is named by its id', async () => {
  const { generateKeyPairSync } = await import('node:crypto');
  const { publicKey } = generateKeyPairSync('ed25519');
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const raw = publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('base64');
  const file = join(dir.path, 'keys.json');
  writeFileSync(file, JSON.stringify({ trusted_keys: { 'release-pem': pem, 'release-raw': raw } }));
  const config = await loadServerConfig({ config: file }, {}, dir.path);
  assert.deepEqual([...config.trustedKeys.keys()], ['release-pem', 'release-raw']);
  assert.equal(config.trustedKeys.get('release-raw')?.asymmetricKeyType, 'ed25519');

  writeFileSync(file, JSON.stringify({ trusted_keys: { broken: 'not-a-key' } }));
  await assert.rejects(loadServerConfig({ config: file }, {}, dir.path), (error: unknown) => {
    const { code, message } = error as { code: string; message: string };
    return code === 'CONFIG_INVALID' && message.includes('"broken"');
  });
});

test('a REMOTE token may be ${VAR} from the environment; an unset one is named by its key', async () => {
  const file = join(dir.path, 'remotes.yaml');
  writeFileSync(
    file,
    [
      'remotes:',
      '  - { name: upstream, endpoint: "http://127.0.0.1:7401/api/v1", token: "${UPSTREAM_TOKEN}" }',
      '  - { name: mirror, endpoint: "http://127.0.0.1:7402/api/v1", token: "pb_${MIRROR_PART}_$${x}" }',
      '  - { name: open, endpoint: "http://127.0.0.1:7403/api/v1" }',
      '',
    ].join('\n'),
  );
  const config = await loadServerConfig(
    { config: file },
    { UPSTREAM_TOKEN: 'pb_upstream_secret', MIRROR_PART: 'mirror' },
    dir.path,
  );
  assert.deepEqual(
    config.remotes.map((remote) => remote.token),
    ['pb_upstream_secret', 'pb_mirror_${x}', undefined],
  );

  await assert.rejects(
    loadServerConfig({ config: file }, { MIRROR_PART: 'mirror' }, dir.path),
    (error: unknown) => {
      const { code, problems, message } = error as {
        code: string;
        problems: { path: string; message: string }[];
        message: string;
      };
      assert.equal(code, 'CONFIG_INVALID');
      assert.deepEqual(
        problems.map((problem) => problem.path),
        ['remotes[0].token'],
      );
      assert.match(message, /remotes\[0\]\.token: uses \$\{UPSTREAM_TOKEN\}, which is not set/);
      assert.ok(!message.includes('mirror'), 'no token value is echoed');
      return true;
    },
  );
});
