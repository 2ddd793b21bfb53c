import assert from 'node:assert/strict';
import { isPlugboardError, type PlugboardError, type Problem } from '@plugboard/core';

/**
 * Runs `action`, asserts it throws `MANIFEST_INVALID` with a problem at each of `paths`, and
 * returns the error for further checks.
 */
export function expectProblemsAt(action: () => unknown, ...paths: string[]): PlugboardError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught !== undefined, 'expected the import to throw');
  assert.ok(
    isPlugboardError(caught, 'MANIFEST_INVALID'),
    `expected MANIFEST_INVALID, got ${caught instanceof Error ? caught.stack : JSON.stringify(caught)}`,
  );
  const found = caught.problems.map((p: Problem) => p.path);
  for (const path of paths) {
    assert.ok(
      found.includes(path),
      `expected a problem at "${path}", got ${JSON.stringify(caught.problems)}`,
    );
  }
  return caught;
}
