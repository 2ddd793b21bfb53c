import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeTempDir } from '@plugboard/test-support';
import { run } from './run-cli.js';

const dir = makeTempDir();
after(() => dir.remove());

function write(name: string, text: string): string {
  const path = join(dir.path, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

test('a valid native manifest prints normalized and exits 0', async () => {
  write('good/manifest.yaml', 'name: hello\nversion: 1.0.0\ncapabilities: [echo]\n');
  const result = await run(['validate', 'good'], dir.path);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^ok good\/manifest\.yaml \(native\) hello@1\.0\.0$/m);
  assert.match(result.stdout, /- type: echo/);
  assert.match(result.stdout, /1 valid, 0 invalid/);
});

test('a broken manifest names every field and exits 3', async () => {
  write(
    'bad.json',
    JSON.stringify({ name: 'Bad Name', version: '1', permissions: { memory_mb: 'lots' } }),
  );
  const result = await run(['validate', 'bad.json'], dir.path);
  assert.equal(result.code, 3);
  assert.match(result.stderr, /error MANIFEST_INVALID: bad\.json: manifest is invalid/);
  assert.match(result.stderr, /- name: is invalid: expected a lower-case plugin id/);
  assert.match(result.stderr, /- version: /);
  assert.match(result.stderr, /- permissions\.memory_mb: must be integer/);
});

test('--json prints one entry per file with the error body', async () => {
  write('set/a.yaml', 'name: a\nversion: 0.0.1\n');
  write('set/b.yaml', 'name: b\nversion: [\n');
  const result = await run(['validate', 'set', '--json'], dir.path);
  assert.equal(result.code, 3);
  const body = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
  assert.equal(body.length, 2);
  assert.equal(body[0]?.['valid'], true);
  assert.deepEqual((body[0]?.['manifest'] as Record<string, unknown>)['name'], 'a');
  assert.equal(body[1]?.['valid'], false);
  assert.equal((body[1]?.['error'] as Record<string, unknown>)['code'], 'PARSE_ERROR');
});

test('--format rejects unknown formats with a usage-class error', async () => {
  const result = await run(['validate', '--format', 'xml', 'set'], dir.path);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /INVALID_ARGUMENT: --format must be auto or one of native, spaceone/);
});

test('a folder without manifests is NOT_FOUND, exit 4', async () => {
  mkdirSync(join(dir.path, 'empty'));
  const result = await run(['validate', 'empty'], dir.path);
  assert.equal(result.code, 4);
});
