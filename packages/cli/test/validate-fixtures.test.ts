import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { run } from './run-cli.js';

// The real data lives with core's tests (copied from shared/fixtures; see its README).
const fixtures = fileURLToPath(new URL('../../../core/test/fixtures/', import.meta.url));

interface Entry {
  readonly valid: boolean;
  readonly format?: string;
  readonly manifest?: { name: string };
}

test('validate accepts all 35 Cloudforet managed plugin files as SpaceONE', async () => {
  const result = await run(['validate', 'cloudforet-managed-plugins', '--json'], fixtures);
  assert.equal(result.code, 0, result.stdout);
  const entries = JSON.parse(result.stdout) as Entry[];
  assert.equal(entries.length, 35);
  assert.ok(entries.every((entry) => entry.valid && entry.format === 'spaceone'));
  assert.ok(entries.some((entry) => entry.manifest?.name === 'plugin-aws-ec2-inven-collector'));
});

test('validate detects each seed example format', async () => {
  const expected: Record<string, string> = {
    'seed-001-ocm-capabilities.json': 'ocm',
    'seed-002-slack-protocol.yaml': 'spaceone',
    'seed-003-flat-manifest.json': 'pulumicost',
    'seed-003-nested-manifest.json': 'pulumicost',
    'seed-004-aws-manifest.yml': 'inventory',
    'seed-004-vcenter-manifest.yml': 'inventory',
  };
  const result = await run(['validate', ...Object.keys(expected), '--json'], fixtures);
  assert.equal(result.code, 0, result.stdout);
  const entries = JSON.parse(result.stdout) as Array<Entry & { file: string }>;
  assert.deepEqual(
    Object.fromEntries(entries.map((entry) => [entry.file, entry.format])),
    expected,
  );
});

test('forcing the wrong format names the input field', async () => {
  const result = await run(
    ['validate', '--format', 'inventory', 'seed-002-slack-protocol.yaml'],
    fixtures,
  );
  assert.equal(result.code, 3);
  assert.match(result.stderr, /MANIFEST_INVALID/);
  assert.match(result.stderr, /- (vendor|provider_type): /);
});
