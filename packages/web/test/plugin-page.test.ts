import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  chromiumSkip,
  launchChromium,
  openPage,
  saveScreenshot,
  signIn,
} from './helpers/browser.js';
import { digestOf, pluginPackage, signPackage } from './helpers/catalog-fixtures.js';
import { ADMIN_TOKEN, startWebTestServer, type WebTestServer } from './helpers/web-test-server.js';

const LONG_DESCRIPTION = [
  '## Usage',
  '',
  'Resolve a spec:',
  '',
  '```sh',
  'resolver --spec "^1.2"',
  '```',
  '',
  '- ranges & channels',
  '- **yanked** versions skipped',
  '',
  'See [the docs](https://example.com/resolver) or [this](javascript:alert(1)).',
].join('\n');

function manifest(version: string): Record<string, unknown> {
  return {
    name: 'resolver-demo',
    display_name: 'Resolver demo',
    version,
    description: 'Resolves *version specs*; see `resolve`.',
    type: 'tooling',
    providers: ['generic'],
    labels: ['versions'],
    tags: { long_description: LONG_DESCRIPTION },
    capabilities: [{ type: 'resolver', endpoints: ['resolve', 'list'] }],
  };
}

describe('plugin page', { skip: chromiumSkip }, () => {
  let server: WebTestServer;
  let remote: WebTestServer;
  let browser: Browser;
  const digests = new Map<string, string>();

  before(async () => {
    server = await startWebTestServer();
    for (const version of ['1.0.0', '1.1.0', '1.2.0', '2.0.0-beta.1']) {
      const bytes = pluginPackage(manifest(version));
      digests.set(version, digestOf(bytes));
      const signature = version === '1.0.0' ? [signPackage(bytes, 'release-2026')] : undefined;
      const response = await fetch(`${server.origin}/api/v1/publish`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          'content-type': 'application/gzip',
          ...(signature === undefined
            ? {}
            : { 'x-plugboard-signature': JSON.stringify(signature) }),
        },
        body: new Uint8Array(bytes),
      });
      assert.equal(response.status, 201, await response.text());
    }
    await server.api('POST', '/plugins/resolver-demo/1.2.0/yank', { reason: 'broken build' });
    await server.api('POST', '/plugins/resolver-demo/1.1.0/deprecate', { message: 'use 2.x' });
    await server.api('PUT', '/plugins/resolver-demo/dist-tags/beta', { version: '2.0.0-beta.1' });
    await server.api('PUT', '/plugins/resolver-demo/dist-tags/latest', { version: '1.1.0' });

    remote = await startWebTestServer();
    await remote.raw(
      'POST',
      '/publish',
      pluginPackage({ name: 'remote-widget', version: '0.4.0', description: 'From the peer.' }),
      'application/gzip',
    );
    await server.api('POST', '/repositories', {
      name: 'community',
      endpoint: `${remote.origin}/api/v1`,
      token: ADMIN_TOKEN,
      timeout_ms: 2000,
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await remote?.close();
  });

  test('docs from Markdown, versions with yank reason, deprecation, digest and signatures, dist-tags, capabilities, manifest', async () => {
    const { page, context, errors } = await openPage(browser, server.origin);
    try {
      await signIn(page, ADMIN_TOKEN, '/plugins/resolver-demo');
      await page.getByRole('heading', { level: 1, name: 'Resolver demo' }).waitFor();

      // Markdown: rendered elements, not markup text; a javascript: link is left as plain text.
      const description = page.locator('.plugin-description');
      assert.equal(await description.locator('em').textContent(), 'version specs');
      assert.equal(await description.locator('code').textContent(), 'resolve');
      const docs = page.locator('.plugin-docs');
      await docs.getByRole('heading', { name: 'Usage' }).waitFor();
      assert.equal(await docs.locator('pre code').textContent(), 'resolver --spec "^1.2"');
      assert.deepEqual(await docs.locator('li').allTextContents(), [
        'ranges & channels',
        'yanked versions skipped',
      ]);
      const links = docs.locator('a');
      assert.equal(await links.count(), 1);
      assert.equal(await links.getAttribute('href'), 'https://example.com/resolver');
      assert.match((await links.getAttribute('rel')) ?? '', /noopener/);
      assert.match((await docs.textContent()) ?? '', /or this\./);

      const row = (version: string) => page.locator(`tr[data-version="${version}"]`);
      assert.deepEqual(await page.locator('table.versions tbody th').allTextContents(), [
        '2.0.0-beta.1',
        '1.2.0',
        '1.1.0',
        '1.0.0',
      ]);
      assert.match((await row('1.2.0').textContent()) ?? '', /yanked\s*broken build/);
      assert.match((await row('1.1.0').textContent()) ?? '', /latest.*deprecated\s*use 2\.x/);
      assert.match((await row('2.0.0-beta.1').textContent()) ?? '', /beta/);
      assert.match((await row('1.0.0').textContent()) ?? '', /signed\s*release-2026/);
      assert.match((await row('1.1.0').textContent()) ?? '', /unsigned/);
      for (const [version, digest] of digests) {
        assert.equal(await row(version).locator('.digest').getAttribute('title'), digest);
      }
      assert.equal(await page.locator('.dist-tags').textContent(), 'beta2.0.0-beta.1latest1.1.0');
      assert.match(
        (await page.locator('.capabilities').textContent()) ?? '',
        /resolver — resolve, list/,
      );
      assert.equal(
        await page.locator('.install-command').textContent(),
        'plugboard install resolver-demo@1.1.0',
      );
      const shown = JSON.parse((await page.locator('.manifest').textContent()) ?? '') as unknown;
      const detail = await server.api<{ manifest: unknown }>('GET', '/plugins/resolver-demo');
      assert.deepEqual(shown, detail.manifest);
      await saveScreenshot(page, 'plugin-page');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a REMOTE plugin shows the warnings of its repository when the remote is down', async () => {
    const { page, context } = await openPage(browser, server.origin);
    try {
      await signIn(page, ADMIN_TOKEN, '/plugins/remote-widget');
      await page.getByRole('heading', { level: 1, name: 'remote-widget' }).waitFor();
      assert.match((await page.locator('.plugin-header .badges').textContent()) ?? '', /REMOTE/);
      assert.equal(await page.locator('.notice-warning').count(), 0);
      await remote.close();
      await page.reload();
      const warning = page.locator('.notice-warning', { hasText: 'Warnings from repositories' });
      await warning.waitFor();
      assert.match((await warning.textContent()) ?? '', /REMOTE repository "community"/);
      await page.getByRole('heading', { level: 1, name: 'remote-widget' }).waitFor();
      await saveScreenshot(page, 'plugin-page-remote-warning');
    } finally {
      await context.close();
    }
  });
});
