import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecentEntries } from '../../src/cache/recent-entries.js';

test('past its capacity the least recent entry goes; recent() counts as a use, get() does not', () => {
  const entries = new RecentEntries<number>(2);
  entries.set('a', 1);
  entries.set('b', 2);
  assert.equal(entries.get('a'), 1);
  entries.set('c', 3);
  assert.equal(entries.get('a'), undefined, 'get() left "a" the least recent');
  assert.equal(entries.recent('b'), 2);
  entries.set('d', 4);
  assert.equal(entries.get('c'), undefined, 'recent() made "b" newer than "c"');
  assert.deepEqual([entries.get('b'), entries.get('d')], [2, 4]);
});

test('deleteWhere forgets what it selects; clear forgets everything', () => {
  const entries = new RecentEntries<{ domain: string }>(10);
  entries.set('x', { domain: 'one' });
  entries.set('y', { domain: 'two' });
  entries.set('z', { domain: 'one' });
  entries.deleteWhere((value) => value.domain === 'one');
  assert.deepEqual(
    [entries.get('x'), entries.get('y'), entries.get('z')],
    [undefined, { domain: 'two' }, undefined],
  );
  entries.clear();
  assert.equal(entries.get('y'), undefined);
});
