import assert from 'node:assert/strict';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import {
  POSTGRES_HOW_TO_ENABLE,
  findTestPostgresUrl,
  privateSchema,
  skipUnlessAvailable,
} from '@plugboard/test-support';
import { BlobCollector } from '../../src/publish/blob-collector.js';
import { createTestServer, type TenantTokens, type TestServer } from '../helpers/test-server.js';
import { pluginPackage } from './publish-packages.js';

// Artifact blobs are shared by digest across versions and tenants; the collector deletes one only
// when no version references it and it is older than the grace period.

const HOUR_MS = 60 * 60 * 1000;

interface Report {
  examined: number;
  deleted: number;
  freed_bytes: number;
  kept_referenced: number;
  kept_in_grace: number;
  grace_ms: number;
  kept_retained: number;
  cache_retention_ms: number;
}

function collectionSuite(database: () => string | undefined): void {
  let server: TestServer;
  let alpha: TenantTokens;
  let beta: TenantTokens;

  before(async () => {
    server = await createTestServer({ database: database() });
    alpha = await server.tenant('gc-alpha');
    beta = await server.tenant('gc-beta');
  });
  after(async () => server.close());

  async function publish(tenant: TenantTokens, tgz: Buffer): Promise<string> {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/publish',
      headers: { authorization: `Bearer ${tenant.publisher}`, 'content-type': 'application/gzip' },
      payload: tgz,
    });
    assert.equal(response.statusCode, 201, response.body);
    return (JSON.parse(response.body) as { digest: string }).digest;
  }

  async function remove(tenant: TenantTokens, name: string): Promise<void> {
    const response = await server.app.inject({
      method: 'DELETE',
      url: `/api/v1/plugins/${name}`,
      headers: { authorization: `Bearer ${tenant.admin}` },
    });
    assert.equal(response.statusCode, 204, response.body);
  }

  async function collect(token: string): Promise<{ status: number; report: Report }> {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/admin/gc',
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: response.statusCode, report: JSON.parse(response.body) as Report };
  }

  /** Makes a blob look written two hours ago, as the blob of an old publish is. */
  function age(digest: string): void {
    const hex = digest.slice('sha256:'.length);
    const when = new Date(Date.now() - 2 * HOUR_MS);
    utimesSync(join(server.dataDir, 'blobs', 'sha256', hex.slice(0, 2), hex), when, when);
  }

  it('deletes the blob of a deleted plugin, keeps a blob another tenant uses and a young one', async () => {
    const doomed = await publish(alpha, pluginPackage('gc-doomed', '1.0.0'));
    const sharedPackage = pluginPackage('gc-shared', '1.0.0');
    const shared = await publish(alpha, sharedPackage);
    assert.equal(await publish(beta, sharedPackage), shared);
    const young = await publish(alpha, pluginPackage('gc-young', '1.0.0'));
    for (const digest of [doomed, shared]) age(digest);

    await remove(alpha, 'gc-doomed');
    await remove(alpha, 'gc-shared');
    await remove(alpha, 'gc-young');
    const { status, report } = await collect(alpha.admin);
    assert.equal(status, 200);
    assert.equal(report.deleted, 1);
    assert.equal(report.kept_referenced, 1);
    assert.equal(report.kept_in_grace, 1);
    assert.equal(report.grace_ms, HOUR_MS);
    assert.equal(report.kept_retained, 0, 'no REMOTE copies here');
    assert.equal(report.cache_retention_ms, 7 * 24 * HOUR_MS);
    assert.ok(report.freed_bytes > 0);

    const left = server.blobDigests();
    assert.equal(left.includes(doomed), false, 'the deleted plugin’s blob is gone');
    assert.equal(left.includes(shared), true, 'beta still uses the shared blob');
    assert.equal(left.includes(young), true, 'a blob in its grace period stays');
    const download = await server.app.inject({
      method: 'GET',
      url: '/api/v1/plugins/gc-shared/1.0.0/artifact',
      headers: { authorization: `Bearer ${beta.reader}` },
    });
    assert.equal(download.statusCode, 200);
    assert.deepEqual(download.rawPayload, sharedPackage);

    // Once beta deletes it too, the shared blob goes.
    await remove(beta, 'gc-shared');
    assert.equal((await collect(beta.admin)).report.deleted, 1);
    assert.equal(server.blobDigests().includes(shared), false);
  });

  it('is for admins only', async () => {
    for (const token of [alpha.publisher, alpha.reader]) {
      assert.equal((await collect(token)).status, 403);
    }
    const anonymous = await server.app.inject({ method: 'POST', url: '/api/v1/admin/gc' });
    assert.equal(anonymous.statusCode, 401);
  });

  it('sweeps by itself shortly after a delete', async () => {
    const collector = new BlobCollector({
      store: server.store,
      blobs: server.blobs,
      sweepDelayMs: 20,
    });
    collector.start();
    try {
      const digest = await publish(alpha, pluginPackage('gc-automatic', '1.0.0'));
      age(digest);
      await remove(alpha, 'gc-automatic');
      while (server.blobDigests().includes(digest)) await sleep(20);
    } finally {
      await collector.close();
    }
  });
}

describe('blob collection on SQLite', () => collectionSuite(() => undefined));

const postgresUrl = await findTestPostgresUrl();
const skip = skipUnlessAvailable('PostgreSQL', postgresUrl !== undefined, POSTGRES_HOW_TO_ENABLE);

describe('blob collection on PostgreSQL', { skip }, () => {
  const schema = privateSchema(postgresUrl ?? 'postgres://unavailable');
  after(() => schema.drop());
  collectionSuite(() => schema.url);
});
