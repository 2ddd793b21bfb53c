import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  PlugboardError,
  canonicalRegistryIndex,
  parsePulumiCostIndex,
  parseRegistryIndex,
  writeRegistryIndex,
  type RegistryIndex,
  type RegistryPlugin,
} from '@plugboard/core';

const fixtures = new URL('../../../test/fixtures/', import.meta.url);
const seedExample = JSON.parse(
  readFileSync(new URL('registry-index/seed-003-example.json', fixtures), 'utf8'),
) as unknown;
const pulumiExample = JSON.parse(
  readFileSync(new URL('pulumicost-spec/examples_registry.json', fixtures), 'utf8'),
) as unknown;

const versionArb = fc
  .tuple(
    fc.nat({ max: 12 }),
    fc.nat({ max: 12 }),
    fc.nat({ max: 12 }),
    fc.option(fc.constantFrom('alpha.1', 'beta.2', 'rc.1'), { freq: 3 }),
  )
  .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre === null ? '' : `-${pre}`}`);

const extraArb = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 6 }).filter((k) => !k.includes('_')),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 2 },
);

const pluginArb: fc.Arbitrary<RegistryPlugin> = fc
  .record({
    name: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,10}[a-z0-9]$/),
    versions: fc.uniqueArray(versionArb, { maxLength: 6 }),
    flags: fc.array(
      fc.record({
        yanked: fc.oneof(fc.boolean(), fc.constant('reason')),
        deprecated: fc.oneof(fc.boolean(), fc.constant('use the next one')),
      }),
      { minLength: 6, maxLength: 6 },
    ),
    description: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    extra: extraArb,
    useLatest: fc.boolean(),
  })
  .map(({ name, versions, flags, description, extra, useLatest }) => {
    const plugin: RegistryPlugin = {
      ...extra,
      name,
      versions: versions.map((version, i) => ({
        version,
        manifest_url: `https://registry.test/${name}/${version}/manifest.json`,
        ...flags[i],
      })),
    };
    if (description !== undefined) plugin.description = description;
    if (useLatest && versions[0] !== undefined) plugin.latest_version = versions[0];
    return plugin;
  });

const indexArb: fc.Arbitrary<RegistryIndex> = fc
  .record({
    plugins: fc.uniqueArray(pluginArb, { selector: (p) => p.name, maxLength: 5 }),
    withMetadata: fc.boolean(),
  })
  .map(({ plugins, withMetadata }) => ({
    registry_version: '1.0.0',
    ...(withMetadata
      ? {
          registry_metadata: {
            name: 'Test',
            url: 'https://registry.test',
            supported_api_versions: ['v1'],
          },
        }
      : {}),
    plugins,
  }));

test('property: read → write → read round-trips and writing is idempotent', () => {
  fc.assert(
    fc.property(indexArb, (index) => {
      const text = writeRegistryIndex(index);
      const read = parseRegistryIndex(text);
      assert.deepEqual(read, JSON.parse(JSON.stringify(canonicalRegistryIndex(index))));
      assert.equal(writeRegistryIndex(read), text);
      const shuffled = { ...index, plugins: [...index.plugins].reverse() };
      assert.equal(writeRegistryIndex(shuffled), text);
    }),
    { numRuns: 300 },
  );
});

/** Every path (as keys) into a JSON value, the root included. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const paths = [prefix];
  if (Array.isArray(value)) {
    value.forEach((item, i) => paths.push(...pathsOf(item, [...prefix, i])));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, key]));
  }
  return paths;
}

const DELETE = Symbol('delete');

function mutated(value: unknown, pick: number, replacement: unknown): unknown {
  const copy = structuredClone(value);
  const paths = pathsOf(copy);
  const path = paths[pick % paths.length] ?? [];
  if (path.length === 0) return replacement === DELETE ? undefined : replacement;
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (replacement === DELETE) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

const mutationArb = fc.tuple(
  fc.nat(),
  fc.oneof(fc.constant(DELETE), fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 8 })),
);

function onlyPlugboardErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof PlugboardError, `threw ${String(error)}`);
    assert.ok(
      ['REGISTRY_INDEX_INVALID', 'PARSE_ERROR'].includes(error.code),
      `unexpected code ${error.code}`,
    );
  }
}

test('property: mutated indexes throw nothing but PlugboardError', () => {
  fc.assert(
    fc.property(
      fc.oneof(indexArb, fc.constant(seedExample)),
      mutationArb,
      (index, [pick, value]) => {
        const broken = mutated(index, pick, value);
        onlyPlugboardErrors(() => parseRegistryIndex(broken));
        onlyPlugboardErrors(() => writeRegistryIndex(broken as RegistryIndex));
      },
    ),
    { numRuns: 1500 },
  );
});

test('property: mutated PulumiCost indexes throw nothing but PlugboardError', () => {
  fc.assert(
    fc.property(mutationArb, ([pick, value]) => {
      const broken = mutated(pulumiExample, pick, value);
      onlyPlugboardErrors(() => parsePulumiCostIndex(broken));
    }),
    { numRuns: 1500 },
  );
});

test('property: arbitrary JSON and text throw nothing but PlugboardError', () => {
  fc.assert(
    fc.property(fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 40 })), (value) => {
      onlyPlugboardErrors(() => parseRegistryIndex(value));
      onlyPlugboardErrors(() => parsePulumiCostIndex(value));
    }),
    { numRuns: 1000 },
  );
});
