import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { clientWorkspace } from './plugboard-workspace.js';

test('a registry with auth type api_key gets the key in X-API-Key, never in Authorization', async () => {
  const seen: IncomingHttpHeaders[] = [];
  // A registry that records what it is sent and answers an empty search.
  const registry = createServer((request, response) => {
    seen.push(request.headers);
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ plugins: [], total: 0, page: 1, limit: 20, warnings: [] }));
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/api/v1`;
  const workspace = clientWorkspace(undefined, 'pb_the-key-for-this-test-000000000');
  try {
    workspace.writeConfig(
      `registries:\n  - name: keyed\n    url: ${origin}\n    auth: {type: api_key, api_key: "\${PLUGBOARD_TEST_TOKEN}"}\n`,
    );
    const result = await workspace.run(['search', 'anything', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(seen.length > 0, 'the registry was asked');
    for (const headers of seen) {
      assert.equal(headers['x-api-key'], 'pb_the-key-for-this-test-000000000');
      assert.equal(headers.authorization, undefined);
    }
  } finally {
    workspace.remove();
    await new Promise((resolve) => registry.close(resolve));
  }
});
