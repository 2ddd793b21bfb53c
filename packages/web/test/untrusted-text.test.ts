import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  chromiumSkip,
  launchChromium,
  openPage,
  saveScreenshot,
  signIn,
} from './helpers/browser.js';
import { pluginPackage } from './helpers/catalog-fixtures.js';
import { ADMIN_TOKEN, startWebTestServer, type WebTestServer } from './helpers/web-test-server.js';

/** Each payload, if it ever ran, would leave a mark: a dialog, a console line, a global. */
const IMG_PAYLOAD = `<img src=x onerror="alert('xss-img');console.log('xss-img');window.__xss='img'">`;
const SCRIPT_PAYLOAD = `<script>alert('xss-script');console.log('xss-script');window.__xss='script'</script>`;
const LONG_DESCRIPTION = [
  '# Docs',
  '',
  IMG_PAYLOAD,
  '',
  `Inline ${SCRIPT_PAYLOAD} and <iframe src="javascript:alert('xss-iframe')"></iframe>`,
  '',
  `[click me](javascript:alert('xss-link')) and [data](data:text/html,<script>alert('xss-data')</script>)`,
  '',
  `![pic](javascript:alert('xss-image'))`,
  '',
  `<a href="javascript:alert('xss-anchor')" onclick="alert('xss-click')">raw anchor</a>`,
].join('\n');

describe('untrusted text', { skip: chromiumSkip }, () => {
  let server: WebTestServer;
  let browser: Browser;

  before(async () => {
    server = await startWebTestServer();
    const manifest = {
      name: 'hostile-plugin',
      display_name: `Hostile ${IMG_PAYLOAD}`,
      version: '1.0.0',
      description: `${IMG_PAYLOAD} ${SCRIPT_PAYLOAD}`,
      type: `type${SCRIPT_PAYLOAD}`,
      providers: ['aws'],
      labels: [IMG_PAYLOAD],
      icon: `javascript:alert('xss-icon')`,
      tags: { long_description: LONG_DESCRIPTION },
      capabilities: [{ type: `cap${IMG_PAYLOAD}`, endpoints: [SCRIPT_PAYLOAD] }],
    };
    const response = await server.raw(
      'POST',
      '/publish',
      pluginPackage(manifest),
      'application/gzip',
    );
    assert.equal(response.status, 201, await response.text());
    await server.api('POST', '/plugins/hostile-plugin/1.0.0/yank', { reason: IMG_PAYLOAD });
    await server.api('POST', '/plugins/hostile-plugin/1.0.0/deprecate', {
      message: SCRIPT_PAYLOAD,
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function assertNothingRan(
    page: Page,
    marks: { console: string[]; dialogs: string[]; errors: string[] },
  ): Promise<void> {
    // Give an image error handler or a late script every chance to run.
    await page.waitForTimeout(500);
    assert.deepEqual(marks.dialogs, [], 'no dialog opened');
    assert.deepEqual(
      marks.console.filter((line) => line.includes('xss')),
      [],
      'nothing logged',
    );
    assert.deepEqual(marks.errors, [], 'no exception');
    assert.equal(
      await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss),
      undefined,
    );
    const inert = await page.evaluate(() => ({
      images: [...document.images].map((image) => image.getAttribute('src')),
      scripts: [...document.scripts].map((script) => script.getAttribute('src') ?? 'inline'),
      iframes: document.querySelectorAll('iframe').length,
      handlers: [...document.querySelectorAll('*')].flatMap((element) =>
        [...element.attributes]
          .filter((attribute) => attribute.name.startsWith('on'))
          .map((a) => a.name),
      ),
      hrefs: [...document.querySelectorAll('a')].map((anchor) => anchor.getAttribute('href') ?? ''),
    }));
    assert.deepEqual(inert.images, [], 'no <img> made from the text (and no javascript: icon)');
    assert.equal(
      inert.scripts.length,
      1,
      `only the app's bundle is a script: ${inert.scripts.join(', ')}`,
    );
    assert.match(inert.scripts[0] ?? '', /^\/assets\/index-.*\.js$/);
    assert.equal(inert.iframes, 0);
    assert.deepEqual(inert.handlers, [], 'no element carries an event handler attribute');
    for (const href of inert.hrefs) assert.doesNotMatch(href, /^\s*(javascript|data):/i);
  }

  test('a plugin whose texts hold <img onerror> and <script> runs nothing and shows them as text', async () => {
    const watched = await openPage(browser, server.origin);
    const { page, context } = watched;
    try {
      await signIn(page, ADMIN_TOKEN, '/?q=hostile');
      const card = page.locator('.card[data-plugin="hostile-plugin"]');
      await card.waitFor();
      assert.ok(
        ((await card.textContent()) ?? '').includes(`${IMG_PAYLOAD} ${SCRIPT_PAYLOAD}`),
        'the card shows the description as text',
      );
      await assertNothingRan(page, watched);
      await saveScreenshot(page, 'untrusted-text-card');

      await card.locator('.card-link').click();
      await page.waitForURL('**/plugins/hostile-plugin');
      await page.locator('.plugin-docs').waitFor();
      const heading = await page.locator('h1').textContent();
      assert.equal(heading, `Hostile ${IMG_PAYLOAD}`);
      const description = (await page.locator('.plugin-description').textContent()) ?? '';
      assert.ok(description.includes(IMG_PAYLOAD), `description shown literally: ${description}`);
      assert.ok(description.includes(SCRIPT_PAYLOAD));
      const docs = (await page.locator('.plugin-docs').textContent()) ?? '';
      for (const literal of [IMG_PAYLOAD, SCRIPT_PAYLOAD, 'click me', 'raw anchor']) {
        assert.ok(docs.includes(literal), `docs show ${literal} as text`);
      }
      const versionRow = (await page.locator('tr[data-version="1.0.0"]').textContent()) ?? '';
      assert.ok(versionRow.includes(IMG_PAYLOAD), 'the yank reason is text');
      assert.ok(versionRow.includes(SCRIPT_PAYLOAD), 'the deprecation message is text');
      await assertNothingRan(page, watched);
      await saveScreenshot(page, 'untrusted-text-plugin-page');
    } finally {
      await context.close();
    }
  });

  test('the page is served with a Content-Security-Policy that forbids inline script', async () => {
    const response = await fetch(`${server.origin}/plugins/hostile-plugin`);
    assert.equal(response.status, 200);
    const policy = response.headers.get('content-security-policy') ?? '';
    assert.match(policy, /script-src 'self'(;|$)/);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
    assert.match(policy, /object-src 'none'/);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  });
});
