import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandEnvironment, type Problem } from '@plugboard/core';

const env = { TOKEN: 's3cret', EMPTY: '' };

test('${VAR}, ${VAR:-default} and $${ expand through nested values, each at its dot-path', () => {
  const problems: Problem[] = [];
  const expanded = expandEnvironment(
    { a: '${TOKEN}', b: ['x-${EMPTY:-fallback}', 7], c: { d: 'cost $${HOME}' } },
    env,
    '',
    problems,
  );
  assert.deepEqual(expanded, { a: 's3cret', b: ['x-fallback', 7], c: { d: 'cost ${HOME}' } });
  assert.deepEqual(problems, []);
});

test('unset, empty and malformed references are problems at their path, without any value', () => {
  const problems: Problem[] = [];
  expandEnvironment({ list: ['${MISSING}', '${EMPTY}', '${1BAD}'] }, env, 'root', problems);
  assert.deepEqual(
    problems.map((problem) => problem.path),
    ['root.list[0]', 'root.list[1]', 'root.list[2]'],
  );
  assert.match(problems[0]?.message ?? '', /\$\{MISSING\}, which is not set/);
  assert.ok(problems.every((problem) => !problem.message.includes('s3cret')));
});
