import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { stringify as stringifyYaml } from 'yaml';
import {
  importManifestText,
  isPlugboardError,
  listManifestProblems,
  MANIFEST_FORMATS,
  parseDocument,
} from '@plugboard/core';
import { cloudforetFixtures, readFixture, SEED_FIXTURES } from './fixture-files.js';

/**
 * Property: whatever text reaches `importManifestText`, it either returns a manifest the native
 * schema accepts, or throws a PlugboardError — never a TypeError, a RangeError or a bad manifest.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Mutation runs over all fixtures together (≥ 10,000 runs in this file with the text runs). */
const MUTATION_RUNS = 7_000;
const RANDOM_TEXT_RUNS = 1_500;
const RANDOM_BYTES_RUNS = 1_500;

const FIXTURE_DOCUMENTS: readonly Json[] = [
  ...cloudforetFixtures(),
  ...SEED_FIXTURES.map((seed) => seed.path),
].map((path) => parseDocument(readFixture(path)) as Json);

/** Keys that trip naive code: prototype names, known field names of every format, odd text. */
const TRICKY_KEYS = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'name',
  'plugin_id',
  'image',
  'resource_type',
  'vendor',
  'provider_type',
  'metadata',
  'specification',
  'capabilities',
  'supportedRepositorySpecTypes',
  'jsonSchema',
  'typeToJSONSchema',
  'connection_parameters',
  'type',
  '',
  'ü',
];

const MUTATION_KINDS = ['delete', 'replace', 'retype', 'nest', 'rename', 'add'] as const;

interface Mutation {
  readonly kind: (typeof MUTATION_KINDS)[number];
  readonly at: number;
  readonly value: Json;
  readonly key: string;
  readonly depth: number;
}

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom(...MUTATION_KINDS),
  at: fc.nat(),
  value: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  key: fc.oneof(fc.constantFrom(...TRICKY_KEYS), fc.string({ maxLength: 8 })),
  depth: fc.integer({ min: 1, max: 60 }),
});

interface Slot {
  readonly container: Json[] | { [key: string]: Json };
  readonly key: string | number;
}

function slots(value: Json, found: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      found.push({ container: value, key: index });
      slots(item, found);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      found.push({ container: value, key });
      slots(value[key] as Json, found);
    }
  }
  return found;
}

function read(slot: Slot): Json {
  return (slot.container as Record<string | number, Json>)[slot.key] as Json;
}

function write(slot: Slot, value: Json): void {
  Object.defineProperty(slot.container, slot.key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Changes the JSON type of a value while keeping something of its content. */
function retype(value: Json): Json {
  if (typeof value === 'string') return value.length % 2 === 0 ? Number(value.length) : [value];
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 0;
  if (value === null) return {};
  if (Array.isArray(value)) return value.length > 0 ? (value[0] as Json) : {};
  return JSON.stringify(value);
}

function nest(value: Json, depth: number): Json {
  let nested = value;
  for (let level = 0; level < depth; level++) nested = level % 2 === 0 ? [nested] : { a: nested };
  return nested;
}

function mutate(document: Json, mutation: Mutation): Json {
  const all = slots(document);
  if (mutation.kind === 'add' || all.length === 0) {
    if (document !== null && typeof document === 'object' && !Array.isArray(document)) {
      write({ container: document, key: mutation.key }, mutation.value);
      return document;
    }
    return mutation.value;
  }
  const slot = all[mutation.at % all.length] as Slot;
  switch (mutation.kind) {
    case 'delete':
      if (Array.isArray(slot.container)) slot.container.splice(slot.key as number, 1);
      else delete slot.container[slot.key as string];
      break;
    case 'replace':
      write(slot, mutation.value);
      break;
    case 'retype':
      write(slot, retype(read(slot)));
      break;
    case 'nest':
      write(slot, nest(read(slot), mutation.depth));
      break;
    case 'rename':
      if (!Array.isArray(slot.container)) {
        const value = read(slot);
        delete slot.container[slot.key as string];
        write({ container: slot.container, key: mutation.key }, value);
      }
      break;
  }
  return document;
}

function expectManifestOrPlugboardError(text: string): void {
  let imported;
  try {
    imported = importManifestText(text, { source: 'fuzzed' });
  } catch (error) {
    if (isPlugboardError(error)) return;
    throw error;
  }
  assert.ok((MANIFEST_FORMATS as readonly string[]).includes(imported.format));
  assert.deepEqual(listManifestProblems(imported.manifest), []);
  assert.ok(imported.warnings.every((warning) => typeof warning === 'string'));
}

describe('importers under random input', () => {
  it('every fixture imports cleanly before mutation', () => {
    for (const document of FIXTURE_DOCUMENTS) {
      const { manifest } = importManifestText(JSON.stringify(document));
      assert.deepEqual(listManifestProblems(manifest), []);
    }
  });

  it('mutated fixtures give a valid manifest or a PlugboardError', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: FIXTURE_DOCUMENTS.length - 1 }),
        fc.array(mutationArbitrary, { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (index, mutations, asYaml) => {
          let document = structuredClone(FIXTURE_DOCUMENTS[index]) as Json;
          for (const mutation of mutations) document = mutate(document, mutation);
          const text = asYaml ? stringifyYaml(document) : JSON.stringify(document);
          expectManifestOrPlugboardError(text);
        },
      ),
      { numRuns: MUTATION_RUNS },
    );
  });

  it('random text gives a valid manifest or a PlugboardError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expectManifestOrPlugboardError(text);
      }),
      { numRuns: RANDOM_TEXT_RUNS },
    );
  });

  it('random bytes decoded as UTF-8 give a valid manifest or a PlugboardError', () => {
    const decoder = new TextDecoder('utf-8');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expectManifestOrPlugboardError(decoder.decode(bytes));
      }),
      { numRuns: RANDOM_BYTES_RUNS },
    );
  });
});
