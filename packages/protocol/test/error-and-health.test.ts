import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  errorBody,
  httpStatusForCode,
  isProtocolError,
  isStreamErrorLine,
  parseErrorBody,
  parseHealthBody,
} from '@plugboard/protocol';

test('error bodies round-trip', () => {
  const body = errorBody('INVALID_ARGUMENT', 'input.count must be an integer', {
    problems: [{ path: 'count', message: 'x' }],
  });
  assert.deepEqual(parseErrorBody(JSON.parse(JSON.stringify(body))), body);
  assert.deepEqual(
    parseErrorBody({ error: { code: 'NOT_FOUND', message: 'no' } }),
    errorBody('NOT_FOUND', 'no'),
  );
});

test('things that are not error bodies', () => {
  for (const value of [
    null,
    1,
    'x',
    [],
    {},
    { error: 'x' },
    { error: { code: 1, message: 'm' } },
    { error: { code: 'X' } },
    { error: { code: '', message: 'm' } },
    { error: { code: 'X', message: 'm', details: [] } },
  ]) {
    assert.equal(parseErrorBody(value), undefined, JSON.stringify(value));
  }
});

test('the stream error line is any object with a top-level error key', () => {
  assert.ok(isStreamErrorLine({ error: { code: 'X', message: 'm' } }));
  assert.ok(isStreamErrorLine({ error: null }));
  assert.ok(!isStreamErrorLine({ ems_ref: 'a', properties: { error: 1 } }));
  assert.ok(!isStreamErrorLine([{ error: 1 }]));
});

test('status codes follow the table; unknown codes are 500', () => {
  assert.equal(httpStatusForCode('INVALID_ARGUMENT'), 400);
  assert.equal(httpStatusForCode('NOT_FOUND'), 404);
  assert.equal(httpStatusForCode('TIMEOUT'), 504);
  assert.equal(httpStatusForCode('PLUGIN_CALL_FAILED'), 500);
  assert.equal(httpStatusForCode('SOMETHING_NEW'), 500);
});

test('health answers', () => {
  assert.equal(parseHealthBody({ status: 'ok', in_flight: 2, uptime_ms: 5 }).in_flight, 2);
  for (const bad of [
    null,
    {},
    { status: 'ok' },
    { status: 'down', in_flight: 0 },
    { status: 'ok', in_flight: -1 },
  ]) {
    assert.throws(
      () => parseHealthBody(bad),
      (e: unknown) => isProtocolError(e, 'PLUGIN_PROTOCOL_ERROR'),
    );
  }
});
