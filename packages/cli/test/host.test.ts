import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { run } from './run-cli.js';

// The SDK's example plugins in the <root>/<name>/<version>/manifest.json layout (built with the SDK).
const pluginsDir = fileURLToPath(new URL('../../../sdk/test/fixtures/plugins/', import.meta.url));

test('host list shows the discovered plugins with their capabilities, stopped until used', async () => {
  const result = await run(['host', 'list', '--dir', pluginsDir, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const { plugins } = JSON.parse(result.stdout) as {
    plugins: { id: string; state: string; capabilities: { type: string }[] }[];
  };
  const echo = plugins.find((plugin) => plugin.id === 'echo-plugin@0.1.0');
  assert.equal(echo?.state, 'stopped');
  assert.deepEqual(
    echo?.capabilities.map((c) => c.type),
    ['echo'],
  );
});

test('host call starts the plugin, calls a method and prints the JSON result', async () => {
  const result = await run([
    'host',
    'call',
    '--dir',
    pluginsDir,
    'echo-plugin',
    'echo',
    '--data',
    '{"message":"hi"}',
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), { echo: { message: 'hi' } });
});

test('host call prints a streamed result one line per value', async () => {
  const result = await run([
    'host',
    'call',
    '--dir',
    pluginsDir,
    'echo',
    'count',
    '--data',
    '{"n":3}',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines.length, 3);
  assert.deepEqual(
    lines.map((line) => JSON.parse(line) as unknown),
    [{ i: 0 }, { i: 1 }, { i: 2 }],
  );
});

test('host call with bad --data or an unknown plugin names the problem', async () => {
  const bad = await run([
    'host',
    'call',
    '--dir',
    pluginsDir,
    'echo-plugin',
    'echo',
    '--data',
    '{oops',
  ]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /INVALID_ARGUMENT: --data is not valid JSON/);
  const missing = await run(['host', 'call', '--dir', pluginsDir, 'no-such-plugin', 'echo']);
  assert.equal(missing.code, 4, missing.stderr);
});
