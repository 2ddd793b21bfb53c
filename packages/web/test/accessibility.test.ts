import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { makeTempDir } from '@plugboard/test-support';
import { axeViolations } from './helpers/axe.js';
import {
  chromiumSkip,
  launchChromium,
  openPage,
  saveScreenshot,
  signIn,
} from './helpers/browser.js';
import { pluginPackage, writeManagedCatalog } from './helpers/catalog-fixtures.js';
import { exampleProviderPackage } from './helpers/provider-plugin.js';
import { ADMIN_TOKEN, startWebTestServer, type WebTestServer } from './helpers/web-test-server.js';

/** Narrow phone viewport, CSS pixels. */
const PHONE = { width: 360, height: 740 };

async function assertAccessible(page: Page, view: string): Promise<void> {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${view}: ${JSON.stringify(violations, null, 2)}`);
}

async function assertNoPageScroll(page: Page, view: string): Promise<void> {
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(
    widths.scroll <= widths.client,
    `${view}: the page scrolls sideways (${widths.scroll} > ${widths.client})`,
  );
}

/** The focused element's id or text, and whether its focus outline is visible. */
async function focused(page: Page): Promise<{ label: string; outline: boolean }> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (element === null) return { label: '', outline: false };
    const style = getComputedStyle(element);
    return {
      label: element.id !== '' ? `#${element.id}` : (element.textContent ?? '').trim(),
      outline: style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2,
    };
  });
}

describe('accessibility and narrow screens', { skip: chromiumSkip }, () => {
  let server: WebTestServer;
  let browser: Browser;
  const managed = makeTempDir('plugboard-web-a11y-');

  before(async () => {
    writeManagedCatalog(join(managed.path, 'fixtures'), 8);
    server = await startWebTestServer({ managed: [managed.path] });
    for (const version of ['1.0.0', '1.1.0']) {
      await server.raw(
        'POST',
        '/publish',
        pluginPackage({
          name: 'a11y-widget',
          version,
          description: 'A **widget** with a [link](https://example.com).',
          tags: { long_description: '## Setup\n\n| key | value |\n| --- | --- |\n| a | b |' },
        }),
        'application/gzip',
      );
    }
    await server.api('POST', '/plugins/a11y-widget/1.0.0/yank', { reason: 'old' });
    await server.api('POST', '/plugins/a11y-widget/1.1.0/deprecate', { message: 'use 2' });
    await server.raw(
      'POST',
      '/provider-plugins/upload',
      exampleProviderPackage(),
      'application/gzip',
    );
    await server.api('POST', '/providers', {
      name: 'lab',
      vendor: 'example',
      provider_type: 'static',
      connection_config: { password: 'example-password' },
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    managed.remove();
  });

  test('every view passes axe’s WCAG 2.1 A/AA rules (labels, names, contrast) in light and dark schemes', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, context } = await openPage(browser, server.origin);
      try {
        await page.emulateMedia({ colorScheme });
        await page.goto('/');
        await page.locator('.card').first().waitFor();
        await assertAccessible(page, `catalog (${colorScheme})`);
        await signIn(page, ADMIN_TOKEN, '/plugins/a11y-widget');
        await page.locator('tr[data-version="1.0.0"]').waitFor();
        await assertAccessible(page, `plugin page (${colorScheme})`);
        await page.getByRole('button', { name: 'Yank… 1.1.0' }).click();
        await assertAccessible(page, `yank form (${colorScheme})`);
        await page.goto('/publish');
        await page.getByTestId('drop-zone').waitFor();
        await assertAccessible(page, `publish (${colorScheme})`);
        await page.goto('/providers/new?plugin=example%3Astatic');
        await page.getByLabel(/^password/).waitFor();
        await assertAccessible(page, `new provider (${colorScheme})`);
        await page.goto('/providers');
        await page.getByRole('link', { name: 'lab' }).click();
        await page.locator('#resources-count').waitFor();
        await assertAccessible(page, `provider (${colorScheme})`);
        await page.getByRole('button', { name: 'Delete provider…' }).click();
        await page.getByRole('button', { name: 'Keep provider' }).waitFor();
        await assertAccessible(page, `delete provider confirmation (${colorScheme})`);
        await page.goto('/sign-in');
        await assertAccessible(page, `sign in (${colorScheme})`);
        if (colorScheme === 'dark') await saveScreenshot(page, 'a11y-dark-sign-in');
      } finally {
        await context.close();
      }
    }
  });

  test('the keyboard alone reaches search, filters and a plugin, with a visible focus', async () => {
    const { page, context } = await openPage(browser, server.origin);
    try {
      await page.goto('/');
      await page.locator('.card').first().waitFor();
      await page.keyboard.press('Tab');
      assert.deepEqual(await focused(page), { label: 'Skip to content', outline: true });
      assert.ok(
        (await page.locator('.skip-link').boundingBox())?.y ?? -1 >= 0,
        'the skip link shows when focused',
      );
      await page.keyboard.press('Enter');
      assert.equal(
        (await focused(page)).label.startsWith('#main') || (await focused(page)).label === '',
        true,
      );
      await page.keyboard.press('Tab');
      assert.deepEqual(await focused(page), { label: '#catalog-search', outline: true });
      await page.keyboard.type('fixture-gcp');
      await page.waitForURL((url) => url.search === '?q=fixture-gcp');
      await page.keyboard.press('Tab');
      assert.equal((await focused(page)).label, '#filter-provider');
      for (const id of ['#filter-type', '#filter-label', '#filter-repository', '#filter-state']) {
        await page.keyboard.press('Tab');
        assert.deepEqual(await focused(page), { label: id, outline: true });
      }
      await page.keyboard.press('Tab');
      assert.equal((await focused(page)).label, 'Clear search and filters');
      await page.keyboard.press('Tab');
      const card = await focused(page);
      assert.equal(card.label, 'Fixture GCP 1');
      assert.ok(card.outline, 'the focused card link shows its outline');
      await page.keyboard.press('Enter');
      await page.waitForURL('**/plugins/fixture-gcp-01');
      await page.getByRole('heading', { level: 1, name: 'Fixture GCP 1' }).waitFor();
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
      await saveScreenshot(page, 'a11y-keyboard-plugin');
    } finally {
      await context.close();
    }
  });

  test('on a narrow screen the views fit the width: one card column, tables scroll in their box', async () => {
    const { page, context } = await openPage(browser, server.origin, { viewport: PHONE });
    try {
      await signIn(page, ADMIN_TOKEN, '/');
      await page.locator('.card').nth(1).waitFor();
      const boxes = await page
        .locator('.card')
        .evaluateAll((cards) =>
          cards
            .slice(0, 3)
            .map((card) => card.getBoundingClientRect().toJSON() as { x: number; width: number }),
        );
      assert.ok(
        boxes.every((box) => box.x === boxes[0]?.x),
        'cards stack in one column',
      );
      assert.ok(
        boxes.every((box) => box.width <= PHONE.width),
        'cards fit the screen',
      );
      await assertNoPageScroll(page, 'catalog');
      await saveScreenshot(page, 'narrow-catalog');
      await page.goto('/plugins/a11y-widget');
      await page.locator('tr[data-version="1.0.0"]').waitFor();
      await assertNoPageScroll(page, 'plugin page');
      await saveScreenshot(page, 'narrow-plugin-page');
      await page.goto('/providers/new?plugin=example%3Astatic');
      await page.getByLabel(/^password/).waitFor();
      await assertNoPageScroll(page, 'new provider');
    } finally {
      await context.close();
    }
  });
});
