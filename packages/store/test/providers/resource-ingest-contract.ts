import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import type { IngestTarget, ProviderStore, ResourceInput } from '@plugboard/store';
import {
  codeOf,
  type ProviderHarnessFactory,
  type ProviderStoreHarness,
} from './provider-store-contract.js';

/** A resource whose every text needs escaping somewhere: quotes, backslashes, newlines, emoji. */
function awkward(ref: string): ResourceInput {
  return {
    emsRef: `${ref} "quoted" \\ back/slash`,
    resourceType: 'virtual_machine',
    name: `name with "quotes", \\backslashes\\, a\nnewline, a tab\t, and ünïcödé 🚀 ${ref}`,
    state: "it's running",
    properties: {
      nested: { z: [1, 2, { b: 'x', a: null }], a: 'text with "quotes"' },
      empty: {},
      list: [],
      flag: true,
      ratio: 0.25,
      big: 9007199254740991,
      none: null,
      '10': 'numeric-looking key',
      '9': 'another one',
    },
    relationships: [{ type: 'runs_on', targetEmsRef: 'host "0"' }],
    parentEmsRef: 'host "0"',
    tags: { 'team/name': 'a "b" \\ c', env: 'prod' },
  };
}

/** `awkward` with every object's keys in the opposite order: the same content to a collector. */
function reordered(input: ResourceInput): ResourceInput {
  const reverse = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(reverse);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, item]) => [key, reverse(item)]),
    );
  };
  return reverse(input) as ResourceInput;
}

function host(i: number, overrides: Partial<ResourceInput> = {}): ResourceInput {
  return {
    emsRef: `host-${String(i).padStart(4, '0')}`,
    resourceType: 'hypervisor_host',
    name: `host ${i}`,
    state: 'connected',
    properties: { cpu: 8, memory_mb: 65536 },
    tags: { rack: `r${i % 4}` },
    ...overrides,
  };
}

/** The collection write path every backend must get right, beyond the basic contract. */
export function resourceIngestContract(factory: ProviderHarnessFactory): void {
  let harness: ProviderStoreHarness;
  let store: ProviderStore;
  let target: (runId: string) => IngestTarget;
  beforeEach(async () => {
    harness = await factory();
    // A clock a second ahead at every reading, so drift of successive runs sorts by run.
    let time = Date.parse('2026-01-01T00:00:00Z');
    store = await harness.open({ now: () => new Date((time += 1_000)) });
    const provider = await store.createProvider('a', {
      name: 'vc',
      vendor: 'example',
      providerType: 'static',
      config: {},
      secretKeys: [],
    });
    target = (runId) => ({ runId, domainId: 'a', providerId: provider.id });
  });
  afterEach(async () => {
    await store.close();
    await harness.destroy();
  });

  it('stores every text and JSON value exactly, and key order alone is no change', async () => {
    const inputs = [awkward('one'), awkward('two')];
    assert.deepEqual(await store.ingestResources(target('r1'), inputs), {
      created: 2,
      updated: 0,
      unchanged: 0,
    });
    const stored = await store.findResourcesByEmsRef(
      'a',
      target('r1').providerId,
      inputs.map((input) => input.emsRef),
    );
    assert.equal(stored.length, 2);
    for (const input of inputs) {
      const resource = stored.find((candidate) => candidate.emsRef === input.emsRef);
      assert.ok(resource !== undefined, input.emsRef);
      assert.equal(resource.name, input.name);
      assert.equal(resource.state, input.state);
      assert.equal(resource.parentEmsRef, input.parentEmsRef);
      assert.deepEqual(resource.properties, input.properties);
      assert.deepEqual(resource.relationships, input.relationships);
      assert.deepEqual(resource.tags, input.tags);
    }
    assert.deepEqual(await store.ingestResources(target('r2'), inputs.map(reordered)), {
      created: 0,
      updated: 0,
      unchanged: 2,
    });
    const changed = awkward('one');
    const properties = { ...changed.properties, nested: { a: 'now "different"' } };
    assert.deepEqual(
      await store.ingestResources(target('r3'), [{ ...changed, properties }, awkward('two')]),
      { created: 0, updated: 1, unchanged: 1 },
    );
    const [one] = await store.findResourcesByEmsRef('a', target('r3').providerId, [changed.emsRef]);
    assert.ok(one !== undefined);
    const drift = await store.listResourceDrift('a', one.id);
    assert.deepEqual(
      drift.map((d) => [d.runId, d.field, d.oldValue, d.newValue]),
      [
        [
          'r3',
          'properties.nested',
          awkward('one').properties?.['nested'],
          { a: 'now "different"' },
        ],
      ],
    );
  });

  it('accepts a lone UTF-16 surrogate (not valid Unicode), read back as U+FFFD', async () => {
    const input = host(1, { name: 'broken \ud800 name', tags: { note: 'a \udc00 b \\ud800' } });
    assert.deepEqual(await store.ingestResources(target('r1'), [input]), {
      created: 1,
      updated: 0,
      unchanged: 0,
    });
    const [stored] = await store.findResourcesByEmsRef('a', target('r1').providerId, [
      input.emsRef,
    ]);
    // PostgreSQL stores one U+FFFD; SQLite stores the surrogate's three bytes, read back as three.
    assert.match(stored?.name ?? '', /^broken \ufffd+ name$/);
    // JSON columns keep the surrogate as its escape, and a backslash before "ud800" as text.
    assert.deepEqual(stored?.tags, input.tags);
    assert.deepEqual(await store.ingestResources(target('r2'), [input]), {
      created: 0,
      updated: 0,
      unchanged: 1,
    });
  });

  it('counts large batches of new, unchanged, changed and returning resources', async () => {
    const hosts = Array.from({ length: 1_200 }, (_, i) => host(i));
    const first = await store.ingestResources(target('r1'), hosts);
    assert.deepEqual(first, { created: 1_200, updated: 0, unchanged: 0 });
    // Run 2 sees the first 1,000 only (100 of them renamed); the last 200 are removed.
    const second = await store.ingestResources(
      target('r2'),
      hosts.slice(0, 1_000).map((h, i) => (i % 10 === 0 ? { ...h, name: `${h.name}!` } : h)),
    );
    assert.deepEqual(second, { created: 0, updated: 100, unchanged: 900 });
    assert.equal(await store.removeUnseenResources(target('r2')), 200);
    assert.equal((await store.listResources('a')).total, 1_000);
    // Run 3: everything again plus 300 new; the 200 removed come back, as updates.
    const third = await store.ingestResources(target('r3'), [
      ...hosts,
      ...Array.from({ length: 300 }, (_, i) => host(1_200 + i)),
    ]);
    assert.deepEqual(third, { created: 300, updated: 300, unchanged: 900 });
    assert.equal(await store.removeUnseenResources(target('r3')), 0);
    assert.equal((await store.listResources('a')).total, 1_500);
    const [back] = await store.findResourcesByEmsRef('a', target('r3').providerId, ['host-1100']);
    assert.ok(back !== undefined);
    assert.equal(back.deletedAt, undefined);
    assert.equal(back.lastSeenRunId, 'r3');
    assert.deepEqual(
      (await store.listResourceDrift('a', back.id)).map((d) => [d.runId, d.field, d.newValue]),
      [
        ['r3', 'deleted', false],
        ['r2', 'deleted', true],
      ],
    );
  });

  it('keeps the first old value and the latest new one when a run sees a resource twice', async () => {
    await store.ingestResources(target('r1'), [host(1)]);
    assert.deepEqual(await store.ingestResources(target('r2'), [host(1, { state: 'a' })]), {
      created: 0,
      updated: 1,
      unchanged: 0,
    });
    assert.deepEqual(await store.ingestResources(target('r2'), [host(1, { state: 'b' })]), {
      created: 0,
      updated: 1,
      unchanged: 0,
    });
    assert.deepEqual(await store.ingestResources(target('r2'), [host(1, { state: 'b' })]), {
      created: 0,
      updated: 0,
      unchanged: 1,
    });
    const [stored] = await store.findResourcesByEmsRef('a', target('r2').providerId, ['host-0001']);
    assert.ok(stored !== undefined);
    assert.equal(stored.state, 'b');
    assert.deepEqual(
      (await store.listResourceDrift('a', stored.id)).map((d) => [
        d.runId,
        d.field,
        d.oldValue,
        d.newValue,
      ]),
      [['r2', 'state', 'connected', 'b']],
    );
  });

  it('refuses a batch of a provider that no longer exists, and stores nothing of it', async () => {
    assert.deepEqual(await store.ingestResources(target('r1'), [host(1), host(2)]), {
      created: 2,
      updated: 0,
      unchanged: 0,
    });
    await store.deleteProvider('a', target('r1').providerId);
    assert.equal((await store.listResources('a', { includeDeleted: true })).total, 0);
    assert.equal(
      await codeOf(store.ingestResources(target('r2'), [host(1), host(3)])),
      'NOT_FOUND',
    );
    assert.equal((await store.listResources('a', { includeDeleted: true })).total, 0);
  });
}
