import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeTempDir } from '@plugboard/test-support';
import {
  createTestServer,
  json,
  type TestServer,
  type TenantTokens,
} from '../helpers/test-server.js';

/** Generous: a file event, the debounce and the reload on a busy two-core machine. */
const RELOAD_TIMEOUT_MS = 20_000;

describe('MANAGED folders through the API', () => {
  const folder = makeTempDir('plugboard-refresh-');
  let server: TestServer;
  let tenant: TenantTokens;

  before(async () => {
    writeFileSync(
      join(folder.path, 'echo.json'),
      JSON.stringify({ name: 'echo', version: '1.0.0', description: 'first' }),
    );
    server = await createTestServer({ managed: [folder.path] });
    tenant = await server.tenant('refreshers');
  });
  after(async () => {
    await server.close();
    folder.remove();
  });

  const description = async (): Promise<unknown> => {
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/plugins/echo' });
    return response.statusCode === 200 ? json(response)['description'] : response.statusCode;
  };

  it('shows an edited file without a restart', async () => {
    assert.equal(await description(), 'first');
    writeFileSync(
      join(folder.path, 'echo.json'),
      JSON.stringify({ name: 'echo', version: '1.1.0', description: 'edited' }),
    );
    const deadline = Date.now() + RELOAD_TIMEOUT_MS;
    while ((await description()) !== 'edited') {
      assert.ok(Date.now() < deadline, 'the edit never became visible');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const detail = json(await server.app.inject({ method: 'GET', url: '/api/v1/plugins/echo' }));
    assert.equal(detail['latest_version'], '1.1.0');
  });

  it('reloads on POST /refresh (admin only) and reports bad files by path', async () => {
    writeFileSync(join(folder.path, 'added.yaml'), 'name: added\ndescription: new file\n');
    writeFileSync(join(folder.path, 'broken.json'), '{"name": ');
    const asReader = await server.app.inject({
      method: 'POST',
      url: '/api/v1/refresh',
      headers: server.auth(tenant.reader),
    });
    assert.equal(asReader.statusCode, 403);
    const anonymous = await server.app.inject({ method: 'POST', url: '/api/v1/refresh' });
    assert.equal(anonymous.statusCode, 401);
    const refreshed = await server.app.inject({
      method: 'POST',
      url: '/api/v1/refresh',
      headers: server.auth(tenant.admin),
    });
    assert.equal(refreshed.statusCode, 200);
    const body = json<{ managed: number; problems: string[] }>(refreshed);
    assert.equal(body.managed, 2);
    assert.equal(body.problems.length, 1);
    assert.ok(body.problems[0]?.startsWith(join(folder.path, 'broken.json')), body.problems[0]);
    const added = await server.app.inject({ method: 'GET', url: '/api/v1/plugins/added' });
    assert.equal(json(added)['description'], 'new file');
  });
});
