import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffPluginSnapshots, hasPluginChanges, type PluginEntry } from '../../src/watch/index.js';

const entry = (path: string, fingerprint: string, root = '/r'): PluginEntry => ({
  root,
  path,
  kind: path.includes('/') ? 'folder' : 'executable',
  fingerprint,
});

test('identical snapshots have no changes', () => {
  const snapshot = [entry('a/1.0.0', 'x'), entry('tool', 'y')];
  const changes = diffPluginSnapshots(snapshot, [...snapshot].reverse());
  assert.deepEqual(changes, { added: [], changed: [], removed: [] });
  assert.equal(hasPluginChanges(changes), false);
});

test('reports added, changed and removed plugins, sorted by root then path', () => {
  const before = [entry('a/1.0.0', 'x'), entry('b/1.0.0', 'x'), entry('tool', 'x')];
  const after = [
    entry('tool', 'x'),
    entry('c/1.0.0', 'x', '/q'),
    entry('b/1.0.0', 'changed'),
    entry('a/2.0.0', 'x'),
  ];
  const changes = diffPluginSnapshots(before, after);
  assert.deepEqual(changes, {
    added: [
      { root: '/q', path: 'c/1.0.0', kind: 'folder' },
      { root: '/r', path: 'a/2.0.0', kind: 'folder' },
    ],
    changed: [{ root: '/r', path: 'b/1.0.0', kind: 'folder' }],
    removed: [{ root: '/r', path: 'a/1.0.0', kind: 'folder' }],
  });
  assert.equal(hasPluginChanges(changes), true);
});

test('the same path under two roots is two plugins', () => {
  const changes = diffPluginSnapshots([entry('p/1', 'x', '/r')], [entry('p/1', 'x', '/s')]);
  assert.deepEqual(changes.added, [{ root: '/s', path: 'p/1', kind: 'folder' }]);
  assert.deepEqual(changes.removed, [{ root: '/r', path: 'p/1', kind: 'folder' }]);
});

test('a kind change at the same path is a change', () => {
  const before: PluginEntry[] = [{ root: '/r', path: 'p', kind: 'executable', fingerprint: 'x' }];
  const after: PluginEntry[] = [{ root: '/r', path: 'p', kind: 'folder', fingerprint: 'x' }];
  assert.deepEqual(diffPluginSnapshots(before, after).changed, [
    { root: '/r', path: 'p', kind: 'folder' },
  ]);
});
