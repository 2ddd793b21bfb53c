import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  Catalog,
  type CatalogScope,
  type PluginSource,
  type PluginSummary,
  type RepositoryType,
  type SourceQuery,
} from '@plugboard/server';

function summary(
  name: string,
  type: RepositoryType,
  updatedAt = '2026-01-01T00:00:00Z',
): PluginSummary {
  return {
    name,
    display_name: undefined,
    description: undefined,
    type: undefined,
    providers: [],
    labels: [],
    capabilities: [],
    tags: {},
    icon: undefined,
    enabled: true,
    state: 'enabled',
    repository_type: type,
    repository: { type, id: type.toLowerCase(), name: type.toLowerCase() },
    latest_version: undefined,
    deprecated: false,
    signed: false,
    image: undefined,
    created_at: updatedAt,
    updated_at: updatedAt,
  };
}

/** A source over a fixed list, sorting and paging like a store: injected through the constructor. */
class ListSource implements PluginSource {
  calls = 0;
  constructor(
    readonly ref: { type: RepositoryType; id: string; name: string },
    readonly priority: number,
    private readonly plugins: PluginSummary[],
    private readonly failWith?: Error,
  ) {}
  async list(_scope: CatalogScope, query: SourceQuery) {
    this.calls += 1;
    if (this.failWith !== undefined) throw this.failWith;
    const wanted = query.names === undefined ? undefined : new Set(query.names);
    const sorted = this.plugins
      .filter((p) => wanted === undefined || wanted.has(p.name))
      .sort((a, b) => {
        const field =
          query.sort === 'updated_at'
            ? 'updated_at'
            : query.sort === 'created_at'
              ? 'created_at'
              : 'name';
        const x = field === 'name' ? a.name : (a[field] ?? '');
        const y = field === 'name' ? b.name : (b[field] ?? '');
        const primary = (x < y ? -1 : x > y ? 1 : 0) * (query.order === 'desc' ? -1 : 1);
        return primary !== 0 ? primary : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
      });
    const offset = query.offset ?? 0;
    return { plugins: sorted.slice(offset, offset + (query.limit ?? 50)), total: sorted.length };
  }
  async get(_scope: CatalogScope, name: string) {
    const found = this.plugins.find((plugin) => plugin.name === name);
    return found === undefined
      ? undefined
      : { ...found, versions: [], dist_tags: {}, manifest: {} };
  }
  async manifest() {
    return undefined;
  }
  async artifact() {
    return undefined;
  }
}

const scope = { domainId: 'default' };
const local = (names: string[]) =>
  new ListSource(
    { type: 'LOCAL', id: 'local', name: 'local' },
    0,
    names.map((n) => summary(n, 'LOCAL')),
  );
const managed = (names: string[]) =>
  new ListSource(
    { type: 'MANAGED', id: 'managed', name: 'managed' },
    100,
    names.map((n) => summary(n, 'MANAGED')),
  );

test('a merged list has one global sort, paging across sources and a de-duplicated total', async () => {
  const catalog = new Catalog(async () => [
    managed(['b', 'd', 'f', 'shared']),
    local(['a', 'c', 'e', 'shared']),
  ]);
  const first = await catalog.list(scope, { limit: 3, page: 1 });
  assert.deepEqual(
    first.plugins.map((p) => p.name),
    ['a', 'b', 'c'],
  );
  assert.equal(first.total, 7);
  const third = await catalog.list(scope, { limit: 3, page: 3 });
  assert.deepEqual(
    third.plugins.map((p) => [p.name, p.repository_type]),
    [['shared', 'LOCAL']],
  );
});

test('a name in several repositories resolves by priority: LOCAL before MANAGED', async () => {
  const catalog = new Catalog(async () => [managed(['x']), local(['x'])]);
  const { detail } = await catalog.get(scope, 'x');
  assert.equal(detail.repository_type, 'LOCAL');
  const managedOnly = await catalog.get(scope, 'x', 'MANAGED');
  assert.equal(managedOnly.detail.repository_type, 'MANAGED');
  await assert.rejects(catalog.get(scope, 'nope'), { code: 'PLUGIN_NOT_FOUND' });
});

test('a failing repository removes only its own part of the list, with a warning', async () => {
  const broken = new ListSource(
    { type: 'REMOTE', id: 'r1', name: 'peer' },
    200,
    [],
    new Error('connect ECONNREFUSED'),
  );
  const catalog = new Catalog(async () => [local(['a']), broken]);
  const page = await catalog.list(scope, {});
  assert.deepEqual(
    page.plugins.map((p) => p.name),
    ['a'],
  );
  assert.equal(page.total, 1);
  assert.match(page.warnings[0] ?? '', /REMOTE repository "peer" left out: connect ECONNREFUSED/);
});

test('the repository filter keeps one type; a single source pages itself at any depth', async () => {
  const big = local(Array.from({ length: 30_000 }, (_, i) => `p${String(i).padStart(5, '0')}`));
  const catalog = new Catalog(async () => [big, managed(['zz'])]);
  const deep = await catalog.list(scope, { repository: 'LOCAL', limit: 2, page: 12_000 });
  assert.deepEqual(
    deep.plugins.map((p) => p.name),
    ['p23998', 'p23999'],
  );
  assert.equal(deep.total, 30_000);
  await assert.rejects(catalog.list(scope, { limit: 50, page: 1000 }), {
    code: 'INVALID_ARGUMENT',
  });
});

test('property: merged pages equal the sorted, de-duplicated union sliced', async () => {
  const names = fc.uniqueArray(fc.stringMatching(/^[a-z]{1,4}$/), { maxLength: 25 });
  await fc.assert(
    fc.asyncProperty(
      names,
      names,
      fc.integer({ min: 1, max: 7 }),
      fc.integer({ min: 1, max: 6 }),
      async (a, b, limit, page) => {
        const catalog = new Catalog(async () => [local(a), managed(b)]);
        const result = await catalog.list(scope, { limit, page });
        const union = [...new Set([...a, ...b])].sort();
        assert.deepEqual(
          result.plugins.map((p) => p.name),
          union.slice((page - 1) * limit, page * limit),
        );
        assert.equal(result.total, union.length);
        for (const plugin of result.plugins) {
          assert.equal(plugin.repository_type, a.includes(plugin.name) ? 'LOCAL' : 'MANAGED');
        }
      },
    ),
    { numRuns: 300 },
  );
});
