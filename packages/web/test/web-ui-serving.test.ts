import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  startWebTestServer,
  WEB_APP_FOLDER,
  type WebTestServer,
} from './helpers/web-test-server.js';

describe('the server serves the built catalog', () => {
  let server: WebTestServer;
  before(async () => {
    server = await startWebTestServer();
  });
  after(async () => {
    await server?.close();
  });

  test('the app answers / and its own paths with index.html, no-cache and a CSP', async () => {
    for (const path of ['/', '/plugins/echo', '/providers/new?plugin=a:b', '/sign-in']) {
      const response = await fetch(`${server.origin}${path}`);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/);
      assert.match(await response.text(), /<div id="app"><\/div>/);
    }
  });

  test('hashed assets are served with a year of caching; the bundle loads nothing from elsewhere', async () => {
    const assets = readdirSync(`${WEB_APP_FOLDER}assets`);
    assert.ok(
      assets.some((name) => name.endsWith('.js')) && assets.some((name) => name.endsWith('.css')),
    );
    for (const name of assets) {
      const response = await fetch(`${server.origin}/assets/${name}`);
      assert.equal(response.status, 200, name);
      assert.match(response.headers.get('cache-control') ?? '', /max-age=31536000, immutable/);
      const text = await response.text();
      // No CDN, no web font: the only URLs in the bundle are documentation examples, never loaded.
      assert.doesNotMatch(text, /https?:\/\/(fonts\.|cdn|unpkg|jsdelivr)/i, name);
      assert.doesNotMatch(text, /@import\s+url|@font-face/i, name);
    }
    const html = await (await fetch(`${server.origin}/`)).text();
    for (const [, url] of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      assert.match(
        url ?? '',
        /^(\/assets\/|data:)/,
        `index.html refers to ${url ?? ''} only on this server`,
      );
    }
  });

  test('unknown API paths and missing files stay JSON 404s, never the page', async () => {
    for (const path of [
      '/api/v1/no-such-route',
      '/api/inventory/v1/nope',
      '/assets/missing.js',
      '/favicon.ico',
    ]) {
      const response = await fetch(`${server.origin}${path}`);
      assert.equal(response.status, 404, path);
      const body = (await response.json()) as { error: { code: string } };
      assert.equal(body.error.code, 'NOT_FOUND', path);
    }
    const api = await fetch(`${server.origin}/api/v1/healthz`);
    assert.deepEqual(await api.json(), { status: 'ok' });
  });
});
