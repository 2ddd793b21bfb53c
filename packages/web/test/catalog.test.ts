import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { makeTempDir } from '@plugboard/test-support';
import {
  chromiumSkip,
  launchChromium,
  openPage,
  saveScreenshot,
  signIn,
} from './helpers/browser.js';
import { pluginPackage, writeManagedCatalog } from './helpers/catalog-fixtures.js';
import { startWebTestServer, type WebTestServer } from './helpers/web-test-server.js';

/** 30 MANAGED fixtures + 1 LOCAL plugin: two catalog pages of 24. */
const MANAGED_COUNT = 30;

describe('catalog page', { skip: chromiumSkip }, () => {
  let server: WebTestServer;
  let browser: Browser;
  /** A reader token: anonymous visitors see MANAGED plugins only. */
  let reader: string;
  const managed = makeTempDir('plugboard-web-managed-');

  before(async () => {
    writeManagedCatalog(join(managed.path, 'fixtures'), MANAGED_COUNT);
    server = await startWebTestServer({ managed: [managed.path] });
    for (const version of ['1.0.0', '1.1.0']) {
      const bytes = pluginPackage({
        name: 'aurora-collector',
        display_name: 'Aurora Collector',
        version,
        description: 'Collects Aurora clusters.',
        type: 'inventory.Collector',
        providers: ['aws'],
        labels: ['Database'],
      });
      await server.raw('POST', '/publish', bytes, 'application/gzip');
    }
    reader = (
      await server.api<{ secret: string }>('POST', '/tokens', { name: 'web', role: 'reader' })
    ).secret;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    managed.remove();
  });

  test('search → filter → open a plugin → copy the install command; the URL and back button carry the view', async () => {
    const { page, errors, context } = await openPage(browser, server.origin, { clipboard: true });
    try {
      await page.goto('/');
      await page.locator('#result-count', { hasText: `${MANAGED_COUNT} plugins` }).waitFor();
      assert.equal(
        await page.locator('.card[data-plugin="aurora-collector"]').count(),
        0,
        'anonymous: MANAGED only',
      );
      await signIn(page, reader);
      await page.locator('#result-count', { hasText: `${MANAGED_COUNT + 1} plugins` }).waitFor();
      assert.equal(await page.locator('.card').count(), 24, 'a page holds 24 cards');
      assert.match((await page.locator('nav.pager').textContent()) ?? '', /Page 1 of 2/);

      await page.getByLabel('Search plugins').fill('aurora');
      await page.waitForURL((url) => url.search === '?q=aurora');
      await page.locator('#result-count', { hasText: /^1 plugin$/ }).waitFor();
      const card = page.locator('.card');
      assert.equal(await card.count(), 1);
      assert.match(
        (await card.textContent()) ?? '',
        /Aurora Collector.*aurora-collector.*Collects Aurora clusters\..*latest 1\.1\.0.*LOCAL/s,
      );

      await page.getByLabel('Search plugins').fill('');
      await page.waitForURL((url) => url.search === '');
      await page.getByLabel('Provider', { exact: true }).fill('gcp');
      await page.getByLabel('Provider', { exact: true }).press('Enter');
      await page.waitForURL((url) => url.search === '?provider=gcp');
      await page.locator('#result-count', { hasText: /^10 plugins$/ }).waitFor();
      await page.getByLabel('Repository').selectOption('MANAGED');
      await page.waitForURL((url) => url.search === '?provider=gcp&repository=MANAGED');
      await page.locator('#result-count', { hasText: /^10 plugins$/ }).waitFor();
      for (const text of await page.locator('.card-name').allTextContents()) {
        assert.match(text, /^fixture-gcp-\d\d$/);
      }

      // Back: the repository filter goes, the provider stays, and the controls show it.
      await page.goBack();
      await page.waitForURL((url) => url.search === '?provider=gcp');
      assert.equal(await page.getByLabel('Repository').inputValue(), '');
      assert.equal(await page.getByLabel('Provider', { exact: true }).inputValue(), 'gcp');

      // A shared link opens the same view (a new tab of the same browser: its own session).
      const shared = await context.newPage();
      await signIn(shared, reader);
      await shared.goto('/?q=aurora&repository=LOCAL');
      await shared.locator('#result-count', { hasText: /^1 plugin$/ }).waitFor();
      assert.equal(await shared.getByLabel('Search plugins').inputValue(), 'aurora');
      await shared.locator('.card-link').click();
      await shared.waitForURL('**/plugins/aurora-collector');
      await shared.getByRole('heading', { level: 1, name: 'Aurora Collector' }).waitFor();
      const command = (await shared.locator('.install-command').textContent())?.trim();
      assert.equal(command, 'plugboard install aurora-collector@1.1.0');
      await shared.getByRole('button', { name: 'Copy' }).click();
      await shared.locator('.install-status', { hasText: 'Copied the install command.' }).waitFor();
      const clipboard = await shared.evaluate(() => navigator.clipboard.readText());
      assert.equal(clipboard, 'plugboard install aurora-collector@1.1.0');
      await saveScreenshot(shared, 'catalog-plugin-page');
      await shared.goBack();
      await shared.locator('#result-count', { hasText: /^1 plugin$/ }).waitFor();
      await saveScreenshot(page, 'catalog-filtered');
      // Signing out on the catalog itself shows what anonymous visitors see, at once.
      await page.getByRole('button', { name: 'Clear search and filters' }).click();
      await page.locator('#result-count', { hasText: `${MANAGED_COUNT + 1} plugins` }).waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.locator('#result-count', { hasText: `${MANAGED_COUNT} plugins` }).waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('typing sends one debounced search and a newer search cancels the older request', async () => {
    const { page, context, failedRequests } = await openPage(browser, server.origin);
    try {
      const searches: string[] = [];
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.pathname === '/api/v1/plugins' && url.searchParams.has('q')) {
          searches.push(url.searchParams.get('q') ?? '');
        }
      });
      // The first search is held back by the network until the second one has been sent.
      let releaseSlow: () => void = () => undefined;
      const slowHeld = new Promise<void>((resolve) => (releaseSlow = resolve));
      await page.route(
        (url) => url.pathname === '/api/v1/plugins' && url.searchParams.get('q') === 'fixture-a',
        async (route) => {
          await slowHeld;
          await route.continue().catch(() => undefined);
        },
      );
      await page.goto('/');
      await page.locator('#result-count', { hasText: `${MANAGED_COUNT} plugins` }).waitFor();
      await page.getByLabel('Search plugins').pressSequentially('fixture-a', { delay: 15 });
      await page.waitForURL((url) => url.search === '?q=fixture-a');
      await page.waitForFunction(
        () => document.querySelector('.card-grid')?.getAttribute('aria-busy') === 'true',
      );
      await page.getByLabel('Search plugins').pressSequentially('zure-0', { delay: 15 });
      await page.waitForURL((url) => url.search === '?q=fixture-azure-0');
      await page.locator('#result-count', { hasText: /^3 plugins$/ }).waitFor();
      releaseSlow();
      // One request per pause in typing, not one per keystroke (a stall of the busy machine
      // mid-word may add one, so only the bounds are exact).
      assert.ok(searches.includes('fixture-a'), JSON.stringify(searches));
      assert.equal(searches[searches.length - 1], 'fixture-azure-0');
      assert.ok(
        searches.length <= 4,
        `${searches.length} requests for 15 keystrokes: ${JSON.stringify(searches)}`,
      );
      assert.ok(
        failedRequests.some((entry) => entry.includes('q=fixture-a&')),
        `the stale request was aborted: ${JSON.stringify(failedRequests)}`,
      );
      // The stale answer can no longer replace the newer one.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const names = await page.locator('.card-name').allTextContents();
      assert.deepEqual(names, ['fixture-azure-02', 'fixture-azure-05', 'fixture-azure-08']);
      // One burst of typing is one history entry: back returns to the unfiltered catalog.
      await page.goBack();
      await page.waitForURL((url) => url.search === '');
      await saveScreenshot(page, 'catalog-search-as-you-type');
    } finally {
      await context.close();
    }
  });
});
