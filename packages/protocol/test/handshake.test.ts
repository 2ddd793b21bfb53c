import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatHandshakeLine,
  isProtocolError,
  parseHandshakeLine,
  ProtocolError,
} from '@plugboard/protocol';

test('parses a unix handshake and ignores unknown fields', () => {
  const handshake = parseHandshakeLine(
    '{"protocol":"plugboard/1","address":"unix:///tmp/pb-x/p.sock","pid":4242,"extra":true}\n',
  );
  assert.equal(handshake.protocol, 'plugboard/1');
  assert.equal(handshake.address, 'unix:///tmp/pb-x/p.sock');
  assert.deepEqual(handshake.parsedAddress, { kind: 'unix', path: '/tmp/pb-x/p.sock' });
  assert.equal(handshake.pid, 4242);
});

test('parses a tcp handshake without pid', () => {
  const handshake = parseHandshakeLine(
    '{"protocol":"plugboard/1","address":"tcp://127.0.0.1:39001"}',
  );
  assert.deepEqual(handshake.parsedAddress, { kind: 'tcp', host: '127.0.0.1', port: 39001 });
  assert.equal(handshake.pid, undefined);
});

test('format and parse round-trip', () => {
  const line = formatHandshakeLine({ kind: 'unix', path: '/run/p.sock' }, 12);
  assert.ok(line.endsWith('\n'));
  assert.equal(line.split('\n').length, 2);
  const parsed = parseHandshakeLine(line);
  assert.deepEqual(parsed.parsedAddress, { kind: 'unix', path: '/run/p.sock' });
  assert.equal(parsed.pid, 12);
});

const garbage: [string, string, RegExp][] = [
  ['plain text', 'listening on /tmp/x', /expected the handshake JSON object/],
  ['empty line', '', /expected the handshake/],
  ['broken JSON', '{"protocol":', /not valid JSON/],
  ['array', '[1,2]', /expected the handshake/],
  ['no protocol', '{"address":"unix:///a.sock"}', /protocol: is required/],
  [
    'other major version',
    '{"protocol":"plugboard/2","address":"unix:///a.sock"}',
    /speaks plugboard\/2/,
  ],
  [
    'not plugboard',
    '{"protocol":"mcp","address":"unix:///a.sock"}',
    /protocol: must be "plugboard\/1"/,
  ],
  ['no address', '{"protocol":"plugboard/1"}', /address: is required/],
  [
    'relative unix path',
    '{"protocol":"plugboard/1","address":"unix://rel.sock"}',
    /address: must name an absolute/,
  ],
  ['remote tcp host', '{"protocol":"plugboard/1","address":"tcp://10.0.0.1:80"}', /loopback/],
  [
    'tcp port 0',
    '{"protocol":"plugboard/1","address":"tcp://127.0.0.1:0"}',
    /port between 1 and 65535/,
  ],
  [
    'http scheme',
    '{"protocol":"plugboard/1","address":"http://127.0.0.1:80"}',
    /unix:\/\/ or tcp:\/\//,
  ],
  [
    'bad pid',
    '{"protocol":"plugboard/1","address":"unix:///a.sock","pid":-1}',
    /pid: must be a positive integer/,
  ],
  [
    'huge line',
    `{"protocol":"plugboard/1","address":"unix:///${'a'.repeat(10_000)}"}`,
    /too long|at most/,
  ],
];

for (const [what, line, message] of garbage) {
  test(`rejects ${what} with PLUGIN_PROTOCOL_ERROR`, () => {
    assert.throws(
      () => parseHandshakeLine(line),
      (error: unknown) => {
        assert.ok(isProtocolError(error, 'PLUGIN_PROTOCOL_ERROR'), String(error));
        assert.match(error.message, message);
        return true;
      },
    );
  });
}

test('every problem is listed at once', () => {
  try {
    parseHandshakeLine('{"protocol":"plugboard/9","pid":"x"}');
    assert.fail('expected a ProtocolError');
  } catch (error) {
    assert.ok(error instanceof ProtocolError);
    assert.deepEqual(
      error.problems.map((p) => p.path),
      ['protocol', 'address', 'pid'],
    );
  }
});
