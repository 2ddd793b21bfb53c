import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  callPath,
  formatAddress,
  isProtocolError,
  parseAddress,
  parseCallPath,
  parsePluginArgs,
  parseTimeoutHeader,
  isNdjsonContentType,
  serveArgs,
  socketPathProblem,
  utf8ByteLength,
} from '@plugboard/protocol';

test('addresses round-trip', () => {
  for (const text of [
    'unix:///tmp/a b/p.sock',
    'tcp://127.0.0.1:1',
    'tcp://localhost:65535',
    'tcp://[::1]:8080',
  ]) {
    assert.equal(formatAddress(parseAddress(text)), text);
  }
  assert.deepEqual(parseAddress('unix:///tmp/a%20b.sock'), { kind: 'unix', path: '/tmp/a b.sock' });
});

test('address garbage is rejected with the code asked for', () => {
  for (const text of [
    '',
    'unix://',
    'unix://x',
    'tcp://127.0.0.1',
    'tcp://127.0.0.1:99999',
    'tcp://example.com:80',
    'ftp://x',
    'unix:///a%zz',
  ]) {
    assert.throws(
      () => parseAddress(text, 'INVALID_ARGUMENT'),
      (e: unknown) => isProtocolError(e, 'INVALID_ARGUMENT'),
      text,
    );
  }
});

test('socket path length is counted in UTF-8 bytes', () => {
  assert.equal(utf8ByteLength('aé€😀'), 1 + 2 + 3 + 4);
  assert.equal(socketPathProblem(`/${'a'.repeat(99)}`), undefined);
  assert.match(socketPathProblem(`/${'a'.repeat(100)}`) ?? '', /101 bytes; at most 100/);
  assert.match(socketPathProblem(`/${'é'.repeat(50)}`) ?? '', /101 bytes/);
  assert.match(socketPathProblem('rel.sock') ?? '', /absolute/);
});

test('call paths', () => {
  assert.equal(callPath('provider', 'validate_connection'), '/v1/provider/validate_connection');
  assert.deepEqual(parseCallPath('/v1/provider/collect?x=1'), {
    type: 'provider',
    endpoint: 'collect',
  });
  for (const path of ['/v1/provider', '/v1/a/b/c', '/v2/a/b', '/v1//b', '/v1/../b', '/healthz']) {
    assert.equal(parseCallPath(path), undefined, path);
  }
  assert.throws(
    () => callPath('pro/vider', 'x'),
    (e: unknown) => isProtocolError(e, 'USAGE'),
  );
  assert.throws(
    () => callPath('provider', ''),
    (e: unknown) => isProtocolError(e, 'USAGE'),
  );
});

test('plugin command line', () => {
  assert.deepEqual(parsePluginArgs(['capabilities']), { command: 'capabilities' });
  assert.deepEqual(parsePluginArgs(serveArgs('/tmp/p.sock')), {
    command: 'serve',
    socketPath: '/tmp/p.sock',
  });
  assert.deepEqual(parsePluginArgs(['serve', '--socket=/tmp/q.sock']), {
    command: 'serve',
    socketPath: '/tmp/q.sock',
  });
  for (const args of [
    [],
    ['serve'],
    ['serve', '--socket'],
    ['serve', '--socket='],
    ['capabilities', 'x'],
    ['run'],
    ['serve', '--port', '1'],
  ]) {
    assert.throws(
      () => parsePluginArgs(args),
      (e: unknown) => isProtocolError(e, 'USAGE') && /usage:/.test(e.message),
      args.join(' '),
    );
  }
});

test('headers', () => {
  assert.equal(parseTimeoutHeader('1500'), 1500);
  assert.equal(parseTimeoutHeader(['250', '9']), 250);
  for (const bad of [undefined, '', '0', '-5', '1.5', 'soon', '9'.repeat(20)]) {
    assert.equal(parseTimeoutHeader(bad), undefined, String(bad));
  }
  assert.ok(isNdjsonContentType('application/x-ndjson; charset=utf-8'));
  assert.ok(!isNdjsonContentType('application/json'));
  assert.ok(!isNdjsonContentType(undefined));
});
