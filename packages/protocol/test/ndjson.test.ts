import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  formatNdjsonLine,
  isProtocolError,
  NdjsonLineSplitter,
  ndjsonValues,
  parseNdjsonLine,
} from '@plugboard/protocol';

test('splits lines across chunk boundaries, including \\r\\n split in two', () => {
  const splitter = new NdjsonLineSplitter();
  assert.deepEqual(splitter.push('{"a":1}\n{"b"'), ['{"a":1}']);
  assert.deepEqual(splitter.push(':2}\r'), []);
  assert.deepEqual(splitter.push('\n\n   \n3'), ['{"b":2}']);
  assert.deepEqual(splitter.end(), ['3']);
});

test('any chunking of a text yields the same lines as splitting it whole', () => {
  fc.assert(
    fc.property(
      fc.array(fc.jsonValue(), { maxLength: 20 }),
      fc.array(fc.nat({ max: 50 }), { maxLength: 30 }),
      (values, cuts) => {
        const text = values.map(formatNdjsonLine).join('');
        const splitter = new NdjsonLineSplitter();
        const lines: string[] = [];
        let at = 0;
        for (const cut of cuts) {
          lines.push(...splitter.push(text.slice(at, at + cut)));
          at += cut;
        }
        lines.push(...splitter.push(text.slice(at)), ...splitter.end());
        assert.deepEqual(
          lines.map((line) => parseNdjsonLine(line)),
          values.map((v) => JSON.parse(JSON.stringify(v)) as unknown),
        );
      },
    ),
  );
});

test('a line over the limit throws PAYLOAD_TOO_LARGE before the newline arrives', () => {
  const splitter = new NdjsonLineSplitter({ maxLineLength: 10 });
  assert.deepEqual(splitter.push('0123456789\n'), ['0123456789']);
  assert.deepEqual(splitter.push('01234'), []);
  assert.throws(
    () => splitter.push('567890'),
    (e: unknown) => isProtocolError(e, 'PAYLOAD_TOO_LARGE'),
  );
});

test('a \\r\\n ending does not count against the limit', () => {
  const splitter = new NdjsonLineSplitter({ maxLineLength: 3 });
  assert.deepEqual(splitter.push('abc\r'), []);
  assert.deepEqual(splitter.push('\n'), ['abc']);
});

test('the splitter memory stays bounded when no newline ever comes', () => {
  const splitter = new NdjsonLineSplitter({ maxLineLength: 1000 });
  assert.throws(() => {
    for (let i = 0; i < 10_000; i++) splitter.push('x'.repeat(100));
  });
  assert.ok(splitter.pendingLength <= 1000);
});

test('rejects an invalid limit and push after end', () => {
  assert.throws(() => new NdjsonLineSplitter({ maxLineLength: 0 }), RangeError);
  const splitter = new NdjsonLineSplitter();
  splitter.end();
  assert.throws(() => splitter.push('x'));
});

test('formatNdjsonLine keeps newlines inside strings on one line', () => {
  const line = formatNdjsonLine({ msg: 'a\nb\r\nc' });
  assert.equal(line.indexOf('\n'), line.length - 1);
  assert.throws(() => formatNdjsonLine(undefined), TypeError);
});

test('parseNdjsonLine rejects garbage', () => {
  assert.throws(
    () => parseNdjsonLine('{"a":'),
    (e: unknown) => isProtocolError(e, 'PLUGIN_PROTOCOL_ERROR'),
  );
  assert.throws(
    () => parseNdjsonLine('nope', 'INVALID_ARGUMENT'),
    (e: unknown) => isProtocolError(e, 'INVALID_ARGUMENT'),
  );
});

test('ndjsonValues parses an async chunk stream', async () => {
  async function* chunks(): AsyncGenerator<string> {
    yield await Promise.resolve('{"i":0}\n{"i"');
    yield ':1}\n{"error":{"code":"X","message":"m"}}';
  }
  const values: unknown[] = [];
  for await (const value of ndjsonValues(chunks())) values.push(value);
  assert.deepEqual(values, [{ i: 0 }, { i: 1 }, { error: { code: 'X', message: 'm' } }]);
});
