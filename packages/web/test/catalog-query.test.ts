import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CARD_FIELDS,
  CATALOG_PAGE_SIZE,
  EMPTY_CATALOG_QUERY,
  catalogSearch,
  isFiltered,
  parseCatalogQuery,
  pluginListQuery,
} from '../src/catalog/catalog-query.js';

test('the catalog view round-trips through the query string, defaults left out', () => {
  const search =
    '?q=aws+ec2&provider=aws&type=inventory.Collector&repository=MANAGED&label=EC2&state=disabled&page=3';
  const query = parseCatalogQuery(search);
  assert.deepEqual(query, {
    q: 'aws ec2',
    provider: 'aws',
    type: 'inventory.Collector',
    repository: 'MANAGED',
    label: 'EC2',
    state: 'disabled',
    page: 3,
  });
  assert.equal(catalogSearch(query), search);
  assert.equal(catalogSearch(EMPTY_CATALOG_QUERY), '');
  assert.equal(isFiltered(EMPTY_CATALOG_QUERY), false);
  assert.equal(isFiltered({ ...EMPTY_CATALOG_QUERY, page: 4 }), false);
  assert.equal(isFiltered({ ...EMPTY_CATALOG_QUERY, label: 'x' }), true);
});

test('malformed values from a hand-edited URL fall back to "any" and page 1', () => {
  assert.deepEqual(parseCatalogQuery('?repository=nope&state=maybe&page=-2'), EMPTY_CATALOG_QUERY);
  assert.deepEqual(parseCatalogQuery('?page=abc'), EMPTY_CATALOG_QUERY);
  assert.equal(parseCatalogQuery('?repository=remote').repository, 'REMOTE');
  assert.equal(parseCatalogQuery(`?q=${'x'.repeat(500)}`).q.length, 200);
});

test('the API query asks for one page of card columns, sorted by name', () => {
  const list = pluginListQuery({ ...EMPTY_CATALOG_QUERY, provider: 'gcp', page: 2 });
  assert.deepEqual(list, {
    q: undefined,
    provider: 'gcp',
    type: undefined,
    repository: undefined,
    label: undefined,
    state: undefined,
    page: 2,
    limit: CATALOG_PAGE_SIZE,
    sort: 'name',
    fields: CARD_FIELDS,
  });
});
