import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  PlugboardError,
  findRegistryPlugin,
  listRegistryIndexProblems,
  parseRegistryIndex,
  resolveRegistryVersion,
  writeRegistryIndex,
  type RegistryIndex,
} from '@plugboard/core';
import { node, type Json } from './json-node.js';

const fixtures = new URL('../../../test/fixtures/', import.meta.url);
const seedExampleText = readFileSync(
  new URL('registry-index/seed-003-example.json', fixtures),
  'utf8',
);

function sample(): RegistryIndex {
  return {
    registry_version: '1.0.0',
    registry_metadata: {
      name: 'Test',
      url: 'https://registry.test',
      supported_api_versions: ['v1'],
    },
    plugins: [
      {
        name: 'zeta',
        versions: [{ version: '0.1.0', manifest_url: 'zeta/0.1.0/manifest.json' }],
      },
      {
        name: 'alpha',
        latest_version: '1.10.0',
        dist_tags: { beta: '2.0.0-beta.1' },
        versions: [
          { version: '1.9.0', deprecated: 'use 1.10', published: '2024-01-02T03:04:05Z' },
          { version: '2.0.0-beta.1' },
          { version: '1.10.0' },
          { version: '1.2.0', yanked: 'broken installer' },
        ],
      },
    ],
  };
}

function problemsOf(value: unknown): { path: string; message: string }[] {
  try {
    parseRegistryIndex(value);
  } catch (error) {
    assert.ok(error instanceof PlugboardError && error.code === 'REGISTRY_INDEX_INVALID');
    return [...error.problems];
  }
  return [];
}

test("seed 003's example index validates and round-trips read → write → read", () => {
  const first = parseRegistryIndex(seedExampleText);
  assert.equal(first.plugins[0]?.versions[0]?.manifest_url?.endsWith('/1.2.3/manifest.json'), true);
  const written = writeRegistryIndex(first);
  const second = parseRegistryIndex(written);
  assert.deepEqual(second, first);
  assert.equal(writeRegistryIndex(second), written);
  // The seed's example is already in canonical order, so writing reproduces it byte for byte.
  assert.equal(written, `${JSON.stringify(JSON.parse(seedExampleText), null, 2)}\n`);
});

test('writeRegistryIndex sorts plugins by name and versions newest first, keys in fixed order', () => {
  const text = writeRegistryIndex(sample());
  assert.ok(text.endsWith('}\n'));
  const written = JSON.parse(text) as RegistryIndex;
  assert.deepEqual(
    written.plugins.map((p) => p.name),
    ['alpha', 'zeta'],
  );
  assert.deepEqual(
    written.plugins[0]?.versions.map((v) => v.version),
    ['2.0.0-beta.1', '1.10.0', '1.9.0', '1.2.0'],
  );
  assert.deepEqual(Object.keys(written.plugins[0] ?? {}), [
    'name',
    'latest_version',
    'dist_tags',
    'versions',
  ]);
  assert.deepEqual(Object.keys(written.plugins[0]?.versions[2] ?? {}), [
    'version',
    'published',
    'deprecated',
  ]);
  assert.deepEqual(Object.keys(written), ['registry_version', 'registry_metadata', 'plugins']);
});

test('writeRegistryIndex is independent of input order and keeps unknown fields, sorted', () => {
  const a = sample();
  const b = sample();
  b.plugins.reverse();
  b.plugins[0]?.versions.reverse();
  const withExtras = (index: RegistryIndex, order: 'ab' | 'ba'): RegistryIndex => {
    const extra = order === 'ab' ? { b: 1, a: { y: 2, x: 1 } } : { a: { x: 1, y: 2 }, b: 1 };
    return { ...index, mirror: extra } as RegistryIndex;
  };
  const textA = writeRegistryIndex(withExtras(a, 'ab'));
  const textB = writeRegistryIndex(withExtras(b, 'ba'));
  assert.equal(textA, textB);
  assert.match(textA, /"mirror": \{\n {4}"a": \{\n {6}"x": 1,\n {6}"y": 2\n {4}\},\n {4}"b": 1/);
  assert.deepEqual(parseRegistryIndex(textA), JSON.parse(textA));
});

test('versions resolve against an index plugin: latest_version, dist_tags, yanked, deprecated', () => {
  const index = parseRegistryIndex(sample());
  const alpha = findRegistryPlugin(index, 'alpha');
  assert.equal(resolveRegistryVersion(alpha).version, '1.10.0');
  assert.equal(resolveRegistryVersion(alpha, '^1.2').version, '1.10.0');
  assert.equal(resolveRegistryVersion(alpha, 'beta').version, '2.0.0-beta.1');
  const yanked = resolveRegistryVersion(alpha, '1.2.0');
  assert.match(yanked.warnings.join('\n'), /1\.2\.0 is yanked \(broken installer\)/);
  assert.throws(() => resolveRegistryVersion(alpha, '~1.2'), /no version of alpha satisfies/);
  assert.deepEqual(resolveRegistryVersion(alpha, '1.9.0').warnings, [
    '1.9.0 is deprecated: use 1.10',
  ]);
  assert.equal(resolveRegistryVersion(alpha, '1.9.0').candidate.published, '2024-01-02T03:04:05Z');
  assert.throws(() => findRegistryPlugin(index, 'nope'), { code: 'PLUGIN_NOT_FOUND' });
});

test('broken indexes fail with REGISTRY_INDEX_INVALID naming every path', () => {
  const table: [string, (index: Json) => void, string, RegExp][] = [
    [
      'missing format',
      (i) => delete node(i)['registry_version'],
      'registry_version',
      /is required/,
    ],
    [
      'unknown format major',
      (i) => (node(i)['registry_version'] = '2.0.0'),
      'registry_version',
      /knows 1\.x/,
    ],
    ['plugins not an array', (i) => (node(i)['plugins'] = {}), 'plugins', /array/],
    [
      'bad plugin name',
      (i) => (node(i, 'plugins', 1)['name'] = 'Alpha'),
      'plugins[1].name',
      /expected a lower-case plugin id/,
    ],
    [
      'missing versions',
      (i) => delete node(i, 'plugins', 0)['versions'],
      'plugins[0].versions',
      /required/,
    ],
    [
      'bad version',
      (i) => (node(i, 'plugins', 1, 'versions', 2)['version'] = 'v1.10'),
      'plugins[1].versions[2].version',
      /expected a SemVer 2\.0 version/,
    ],
    [
      'bad published',
      (i) => (node(i, 'plugins', 1, 'versions', 0)['published'] = 'yesterday'),
      'plugins[1].versions[0].published',
      /date-time/,
    ],
    [
      'bad yanked',
      (i) => (node(i, 'plugins', 1, 'versions', 0)['yanked'] = 1),
      'plugins[1].versions[0].yanked',
      /boolean|string/,
    ],
    [
      'bad api version',
      (i) => (node(i, 'registry_metadata')['supported_api_versions'] = ['1']),
      'registry_metadata.supported_api_versions[0]',
      /expected an API version/,
    ],
    [
      'bad metadata url',
      (i) => (node(i, 'registry_metadata')['url'] = 'not a url'),
      'registry_metadata.url',
      /uri/,
    ],
    [
      'duplicate plugin',
      (i) => (node(i, 'plugins', 0)['name'] = 'alpha'),
      'plugins[1].name',
      /duplicates plugins\[0\]\.name/,
    ],
    [
      'duplicate version',
      (i) => (node(i, 'plugins', 1, 'versions', 3)['version'] = '1.9.0+rebuild'),
      'plugins[1].versions[3].version',
      /duplicates versions\[0\]/,
    ],
    [
      'latest not listed',
      (i) => (node(i, 'plugins', 1)['latest_version'] = '3.0.0'),
      'plugins[1].latest_version',
      /3\.0\.0 is not one of the listed versions/,
    ],
    [
      'dist-tag not listed',
      (i) => (node(i, 'plugins', 1, 'dist_tags')['beta'] = '2.0.0-beta.9'),
      'plugins[1].dist_tags.beta',
      /not one of the listed/,
    ],
    [
      'bad dist-tag name',
      (i) => (node(i, 'plugins', 1)['dist_tags'] = { Beta: '1.10.0' }),
      'plugins[1].dist_tags.Beta',
      /is not allowed here/,
    ],
  ];
  for (const [label, mutate, path, message] of table) {
    const broken = structuredClone(sample()) as unknown as Json;
    mutate(broken);
    const problems = problemsOf(broken);
    const hit = problems.find((p) => p.path === path);
    assert.ok(hit, `${label}: expected a problem at ${path}, got ${JSON.stringify(problems)}`);
    assert.match(hit.message, message, label);
  }
});

test('every problem is reported at once, and the message names the paths', () => {
  const broken = structuredClone(sample()) as unknown as Json;
  node(broken, 'plugins', 0)['name'] = 'Zeta';
  node(broken, 'plugins', 1, 'versions', 0)['version'] = '1';
  assert.throws(
    () => parseRegistryIndex(broken, 'https://registry.test/index.json'),
    (error: unknown) =>
      error instanceof PlugboardError &&
      error.problems.length === 2 &&
      error.message.startsWith('https://registry.test/index.json is invalid: ') &&
      error.message.includes('plugins[0].name') &&
      error.message.includes('plugins[1].versions[0].version'),
  );
  assert.deepEqual(listRegistryIndexProblems(sample()), []);
});

test('unreadable text is a PARSE_ERROR; a non-object is REGISTRY_INDEX_INVALID', () => {
  assert.throws(() => parseRegistryIndex('{"registry_version": '), { code: 'PARSE_ERROR' });
  assert.throws(() => parseRegistryIndex(null), { code: 'REGISTRY_INDEX_INVALID' });
  assert.throws(() => parseRegistryIndex([]), { code: 'REGISTRY_INDEX_INVALID' });
  assert.throws(() => writeRegistryIndex({} as RegistryIndex), { code: 'REGISTRY_INDEX_INVALID' });
});
