import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { CLI_VERSION } from '@plugboard/cli';
import { run } from './run-cli.js';

const packageJson = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as {
  version: string;
};
const mainJs = fileURLToPath(new URL('../src/main.js', import.meta.url));

test('--version prints the package version', async () => {
  assert.equal(CLI_VERSION, packageJson.version);
  const result = await run(['--version']);
  assert.equal(result.code, 0);
  assert.equal(result.stdout, `${packageJson.version}\n`);
});

test('--help lists the commands; no arguments is a usage error', async () => {
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /validate\s+check manifests/);
  const none = await run([]);
  assert.equal(none.code, 2);
});

test('an unknown command or flag exits 2 with a USAGE error', async () => {
  const command = await run(['frobnicate']);
  assert.equal(command.code, 2);
  assert.match(command.stderr, /USAGE: unknown command "frobnicate"/);
  const flag = await run(['validate', '--nope', 'x']);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /USAGE/);
});

test('the installed bin runs as a real process and exits with the table code', () => {
  const ok = spawnSync(process.execPath, [mainJs, '--version'], { encoding: 'utf8' });
  assert.equal(ok.status, 0);
  assert.equal(ok.stdout.trim(), packageJson.version);
  const missing = spawnSync(process.execPath, [mainJs, 'validate', '/nonexistent/manifest.yaml'], {
    encoding: 'utf8',
  });
  assert.equal(missing.status, 4);
  assert.match(missing.stderr, /NOT_FOUND: \/nonexistent\/manifest\.yaml/);
});

test('serve documents the server default port', async () => {
  const { DEFAULT_PORT } = await import('@plugboard/server');
  const { SERVE_DEFAULT_PORT } = await import('../src/commands/serve.js');
  assert.equal(SERVE_DEFAULT_PORT, DEFAULT_PORT);
  const help = await run(['serve', '--help']);
  assert.match(help.stdout, new RegExp(`--port ${DEFAULT_PORT}`));
});
