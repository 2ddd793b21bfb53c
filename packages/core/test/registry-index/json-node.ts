import assert from 'node:assert/strict';

/** A decoded JSON object, for tests that break documents on purpose. */
export type Json = Record<string, unknown>;

/** The object at `path` inside `root`; fails the test when there is none. */
export function node(root: unknown, ...path: (string | number)[]): Json {
  let current = root;
  for (const key of path) current = (current as Record<string | number, unknown>)[key];
  assert.ok(typeof current === 'object' && current !== null, `no object at ${path.join('.')}`);
  return current as Json;
}
