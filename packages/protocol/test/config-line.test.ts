import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatConfigLine,
  isProtocolError,
  parseConfigLine,
  ProtocolError,
} from '@plugboard/protocol';

test('round-trips the config line', () => {
  const line = formatConfigLine({
    config: { password: 's3cret', count: 3 },
    idle_timeout_ms: 5000,
  });
  assert.ok(line.endsWith('\n'));
  assert.deepEqual(parseConfigLine(line), {
    config: { password: 's3cret', count: 3 },
    idle_timeout_ms: 5000,
  });
});

test('defaults config to {} and idle_timeout_ms to 0', () => {
  assert.deepEqual(parseConfigLine('{}'), { config: {}, idle_timeout_ms: 0 });
});

test('never echoes the line (it may hold secrets)', () => {
  try {
    parseConfigLine('{"config":{"password":"hunter2"');
    assert.fail('expected an error');
  } catch (error) {
    assert.ok(isProtocolError(error, 'INVALID_ARGUMENT'));
    assert.doesNotMatch(error.message, /hunter2/);
  }
});

for (const [what, line, path] of [
  ['config not an object', '{"config":[1]}', 'config'],
  ['negative idle timeout', '{"config":{},"idle_timeout_ms":-1}', 'idle_timeout_ms'],
  ['fractional idle timeout', '{"config":{},"idle_timeout_ms":1.5}', 'idle_timeout_ms'],
  ['string idle timeout', '{"idle_timeout_ms":"10"}', 'idle_timeout_ms'],
  ['array line', '[]', ''],
] as const) {
  test(`rejects ${what}`, () => {
    assert.throws(
      () => parseConfigLine(line),
      (e: unknown) =>
        e instanceof ProtocolError && e.code === 'INVALID_ARGUMENT' && e.problems[0]?.path === path,
    );
  });
}
