import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_REMOTE_HOPS,
  VIA_HEADER,
  fetchWithVia,
  incomingPath,
  mustStayLocal,
  parseViaHeader,
  runWithIncomingPath,
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

test('outgoing calls carry the incoming path plus this server, inside and outside a request', async () => {
  const sent: string[] = [];
  const fetch = fetchWithVia(
    async (_url, init) => {
      sent.push(new Headers(init.headers).get(VIA_HEADER) ?? '<none>');
      return new Response('{}');
    },
    async () => 'reg-self',
  );
  await fetch('http://remote.invalid/api/v1/plugins', { headers: { accept: 'application/json' } });
  await runWithIncomingPath(['reg-first', 'reg-second'], async () => {
    assert.deepEqual(incomingPath(), ['reg-first', 'reg-second']);
    await fetch('http://remote.invalid/api/v1/plugins', {});
  });
  assert.deepEqual(incomingPath(), []);
  assert.deepEqual(sent, ['reg-self', 'reg-first, reg-second, reg-self']);
});
