import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  ADMIN_TOKEN,
  startUpstreamRegistry,
  type UpstreamRegistry,
} from '../../helpers/registry-pair.js';

// Three real servers in a ring, each the next one's REMOTE: first → second → third → first.
// The request goes round once and stops at the server that finds itself on the path.

let ring: UpstreamRegistry[] = [];
let ids: string[] = [];

before(async () => {
  ring = await Promise.all([0, 1, 2].map(() => startUpstreamRegistry()));
  ids = await Promise.all(ring.map((registry) => registry.store.registryId()));
  for (const [index, registry] of ring.entries()) {
    await registry.publish(`plugin-of-server-${index}`, '1.0.0');
    const next = ring[(index + 1) % ring.length];
    assert.ok(next !== undefined);
    const response = await fetch(`${registry.url}/repositories?verify=false`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'next', endpoint: next.url, token: next.readerToken }),
    });
    assert.equal(response.status, 201, await response.text());
  }
});

after(async () => {
  await Promise.all(ring.map((registry) => registry.close()));
});

test('a ring of REMOTEs answers with every server’s plugins after one turn', async () => {
  const [first, second, third] = ring;
  assert.ok(first !== undefined && second !== undefined && third !== undefined);
  const response = await fetch(`${first.url}/plugins`, {
    headers: { authorization: `Bearer ${first.readerToken}` },
  });
  const page = (await response.json()) as {
    plugins: { name: string; repository_type: string }[];
    warnings: string[];
  };
  assert.deepEqual(
    page.plugins.map((plugin) => [plugin.name, plugin.repository_type]),
    [
      ['plugin-of-server-0', 'LOCAL'],
      ['plugin-of-server-1', 'REMOTE'],
      ['plugin-of-server-2', 'REMOTE'],
    ],
  );
  assert.deepEqual(page.warnings, []);
  assert.deepEqual(second.viaHeaders, [ids[0]]);
  assert.deepEqual(third.viaHeaders, [`${ids[0]}, ${ids[1]}`]);
  // The first server, reached again, answers from LOCAL and MANAGED and asks no one.
  assert.deepEqual(first.viaHeaders, [`${ids[0]}, ${ids[1]}, ${ids[2]}`]);
});
