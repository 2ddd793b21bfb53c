import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  PULUMICOST_REGISTRY_SCHEMA,
  PlugboardError,
  listPulumiCostIndexProblems,
  parsePulumiCostIndex,
  parseRegistryIndex,
  writeRegistryIndex,
} from '@plugboard/core';
import { node, type Json } from './json-node.js';

const fixtures = new URL('../../../test/fixtures/pulumicost-spec/', import.meta.url);
const exampleText = readFileSync(new URL('examples_registry.json', fixtures), 'utf8');

function example(): Json {
  return JSON.parse(exampleText) as Json;
}

test('the schema module is a verbatim copy of plugin_registry.schema.json', () => {
  const file: unknown = JSON.parse(
    readFileSync(new URL('plugin_registry.schema.json', fixtures), 'utf8'),
  );
  assert.deepEqual(PULUMICOST_REGISTRY_SCHEMA, file);
});

test("PulumiCost's examples_registry.json validates and converts to a native index", () => {
  assert.deepEqual(listPulumiCostIndexProblems(example()), []);
  const index = parsePulumiCostIndex(exampleText);
  assert.equal(index.registry_version, '1.0.0');
  assert.equal((index as Record<string, unknown>)['pulumicost_schema_version'], '1.0.0');
  assert.deepEqual(
    index.plugins.map((p) => p.name),
    ['kubecost', 'aws-public'],
  );
  const kubecost = index.plugins[0];
  assert.equal(kubecost?.description, 'Kubernetes cost analysis via Kubecost API integration');
  assert.deepEqual(kubecost?.versions, []);
  assert.deepEqual(kubecost?.metadata, {
    source_format: 'pulumicost',
    repository: 'rshade/finfocus-plugin-kubecost',
    author: 'FinFocus Team',
    license: 'Apache-2.0',
    homepage: 'https://github.com/rshade/finfocus-plugin-kubecost',
    supported_providers: ['kubernetes'],
    capabilities: ['cost_retrieval', 'cost_projection', 'real_time_data'],
    security_level: 'official',
    min_spec_version: '0.1.0',
    keywords: ['kubernetes', 'kubecost', 'k8s', 'container'],
  });
  // The conversion is a valid native index that writes and reads back unchanged.
  const text = writeRegistryIndex(parseRegistryIndex(index));
  assert.equal(writeRegistryIndex(parseRegistryIndex(text)), text);
  assert.equal(parseRegistryIndex(text).plugins[0]?.name, 'aws-public');
});

test('deprecation and spec versions survive the conversion in metadata', () => {
  const source = example();
  Object.assign(node(source, 'plugins', 'kubecost'), {
    deprecated: true,
    deprecation_message: 'use opencost',
    max_spec_version: '0.9.0',
  });
  const kubecost = parsePulumiCostIndex(source).plugins.find((p) => p.name === 'kubecost');
  assert.equal(kubecost?.metadata?.['deprecated'], true);
  assert.equal(kubecost?.metadata?.['deprecation_message'], 'use opencost');
  assert.equal(kubecost?.metadata?.['max_spec_version'], '0.9.0');
});

test('broken copies fail with REGISTRY_INDEX_INVALID naming the path', () => {
  const table: [string, (index: Json) => void, string, RegExp][] = [
    ['no schema_version', (i) => delete node(i)['schema_version'], 'schema_version', /is required/],
    [
      'short description',
      (i) => (node(i, 'plugins', 'kubecost')['description'] = 'short'),
      'plugins.kubecost.description',
      /fewer than 10/,
    ],
    [
      'name differs from key',
      (i) => (node(i, 'plugins', 'kubecost')['name'] = 'opencost'),
      'plugins.kubecost.name',
      /must equal its key "kubecost"/,
    ],
    [
      'unknown provider',
      (i) => (node(i, 'plugins', 'aws-public')['supported_providers'] = ['oracle']),
      'plugins.aws-public.supported_providers[0]',
      /must be one of "aws"/,
    ],
    [
      'unknown field',
      (i) => (node(i, 'plugins', 'kubecost')['stars'] = 5),
      'plugins.kubecost.stars',
      /is not allowed here/,
    ],
    [
      'deprecated without message',
      (i) => (node(i, 'plugins', 'kubecost')['deprecated'] = true),
      'plugins.kubecost',
      /deprecation_message/,
    ],
    [
      'bad repository',
      (i) => (node(i, 'plugins', 'kubecost')['repository'] = 'not a repo'),
      'plugins.kubecost.repository',
      /expected GitHub repository/,
    ],
    [
      'missing author',
      (i) => delete node(i, 'plugins', 'aws-public')['author'],
      'plugins.aws-public.author',
      /is required/,
    ],
  ];
  for (const [label, mutate, path, message] of table) {
    const broken = example();
    mutate(broken);
    assert.throws(
      () => parsePulumiCostIndex(broken),
      (error: unknown) => {
        assert.ok(error instanceof PlugboardError, label);
        assert.equal(error.code, 'REGISTRY_INDEX_INVALID', label);
        const hit = error.problems.find((p) => p.path === path);
        assert.ok(hit, `${label}: no problem at ${path} in ${JSON.stringify(error.problems)}`);
        assert.match(hit.message, message, label);
        assert.ok(error.message.includes(path), label);
        return true;
      },
    );
  }
});
