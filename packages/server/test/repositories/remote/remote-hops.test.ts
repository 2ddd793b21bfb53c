import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_REMOTE_HOPS,
  VIA_HEADER,
  mustStayLocal,
  parseViaHeader,
  viaHeaders,
} from '../../../src/repositories/remote/remote-hops.js';

test('Plugboard-Via lists registry ids in order; malformed entries still count as hops', () => {
  assert.deepEqual(parseViaHeader(undefined), []);
  assert.deepEqual(parseViaHeader(''), []);
  assert.deepEqual(parseViaHeader('reg-a, reg-b,reg-c'), ['reg-a', 'reg-b', 'reg-c']);
  assert.deepEqual(parseViaHeader(['reg-a', 'reg-b, reg-c']), ['reg-a', 'reg-b', 'reg-c']);
  assert.deepEqual(parseViaHeader('reg-a, <script>, , reg-b'), ['reg-a', '?', 'reg-b']);
  const flood = parseViaHeader(Array.from({ length: 5000 }, () => 'x').join(','));
  assert.ok(flood.length >= MAX_REMOTE_HOPS && flood.length < 5000, 'a huge header is cut');
});

test('a server stays local when it is on the path or the path is full', () => {
  assert.equal(mustStayLocal('reg-me', []), false);
  assert.equal(mustStayLocal('reg-me', ['reg-other']), false);
  assert.equal(mustStayLocal('reg-me', ['reg-other', 'reg-me']), true);
  const full = Array.from({ length: MAX_REMOTE_HOPS }, (_, index) => `reg-${index}`);
  assert.equal(mustStayLocal('reg-me', full), true);
  assert.equal(mustStayLocal('reg-me', full.slice(1)), false);
});

test('outgoing calls carry the incoming path plus this server', () => {
  assert.deepEqual(viaHeaders([], 'reg-self'), { [VIA_HEADER]: 'reg-self' });
  assert.deepEqual(viaHeaders(['reg-first', 'reg-second'], 'reg-self'), {
    [VIA_HEADER]: 'reg-first, reg-second, reg-self',
  });
  // What goes out reads back as the path plus this server.
  const sent = viaHeaders(['reg-first'], 'reg-self')[VIA_HEADER];
  assert.deepEqual(parseViaHeader(sent), ['reg-first', 'reg-self']);
});
