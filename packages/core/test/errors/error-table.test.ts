import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  ERROR_CODES,
  PlugboardError,
  isErrorCode,
  isPlugboardError,
  problemsError,
} from '@plugboard/core';

const docsPath = new URL('../../../../../docs/errors.md', import.meta.url);

function documentedCodes(): Map<string, { httpStatus: number; exitCode: number }> {
  const rows = new Map<string, { httpStatus: number; exitCode: number }>();
  for (const line of readFileSync(docsPath, 'utf8').split('\n')) {
    const match = /^\|\s*`([A-Z_]+)`\s*\|\s*(\d{3})\s*\|\s*(\d+)\s*\|/.exec(line);
    if (match?.[1] !== undefined)
      rows.set(match[1], { httpStatus: Number(match[2]), exitCode: Number(match[3]) });
  }
  return rows;
}

test('docs/errors.md lists exactly the codes of the table, with the same status and exit code', () => {
  const documented = documentedCodes();
  const table = new Map(
    Object.entries(ERROR_CODES).map(([code, info]) => [
      code,
      { httpStatus: info.httpStatus, exitCode: info.exitCode },
    ]),
  );
  assert.deepEqual(documented, table, 'run `npm run docs:errors` after changing the error table');
});

test('every code maps to an HTTP error status and a non-zero exit code', () => {
  for (const [code, info] of Object.entries(ERROR_CODES)) {
    assert.ok(
      info.httpStatus >= 400 && info.httpStatus <= 599,
      `${code} status ${info.httpStatus}`,
    );
    assert.ok(info.exitCode >= 1 && info.exitCode <= 9, `${code} exit ${info.exitCode}`);
    assert.ok(info.description.length > 10, `${code} needs a description`);
  }
});

test('PlugboardError carries code, status, exit code and a JSON body without internals', () => {
  const cause = new Error('socket hang up at 10.0.0.1');
  const error = new PlugboardError('PLUGIN_NOT_FOUND', 'no plugin named "x"', {
    cause,
    details: { name: 'x' },
  });
  assert.equal(error.httpStatus, 404);
  assert.equal(error.exitCode, 4);
  assert.equal(error.cause, cause);
  assert.deepEqual(error.toJSON(), {
    error: { code: 'PLUGIN_NOT_FOUND', message: 'no plugin named "x"', details: { name: 'x' } },
  });
  assert.ok(!JSON.stringify(error.toJSON()).includes('10.0.0.1'));
  assert.ok(isPlugboardError(error, 'PLUGIN_NOT_FOUND'));
  assert.ok(!isPlugboardError(error, 'NOT_FOUND'));
  assert.ok(!isPlugboardError(new Error('x')));
});

test('problemsError lists every problem and names paths in its message', () => {
  const problems = Array.from({ length: 7 }, (_, i) => ({ path: `a[${i}]`, message: 'is wrong' }));
  const error = problemsError('MANIFEST_INVALID', 'manifest is invalid', problems);
  assert.equal(error.problems.length, 7);
  assert.equal(error.summary, 'manifest is invalid');
  assert.match(error.message, /a\[0\]: is wrong/);
  assert.match(error.message, /and 2 more/);
});

test('isErrorCode accepts table codes only', () => {
  assert.ok(isErrorCode('INTERNAL'));
  assert.ok(!isErrorCode('internal'));
  assert.ok(!isErrorCode('toString'));
  assert.ok(!isErrorCode(42));
});
