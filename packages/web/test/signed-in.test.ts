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
import { startWebTestServer, type WebTestServer } from './helpers/web-test-server.js';

/** Incompressible bytes in the first package, so its upload takes long enough to watch. */
const LARGE_PACKAGE_FILLER_BYTES = 3 * 1024 * 1024;
/** Upload speed while publishing the large package, in bytes per second. */
const THROTTLED_UPLOAD_BYTES_PER_SECOND = 1024 * 1024;

function widget(version: string): Record<string, unknown> {
  return { name: 'demo-widget', display_name: 'Demo widget', version, description: 'A widget.' };
}

/** Drops `bytes` as a file named `name` on the publish page's drop zone, as a user's drag would. */
async function dropFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ base64, fileName }) => {
      const binary = atob(base64);
      const data = new Uint8Array(binary.length);
      for (let index = 0; index < binary.length; index += 1) data[index] = binary.charCodeAt(index);
      const dataTransfer = new DataTransfer();
      dataTransfer.items.add(new File([data], fileName, { type: 'application/gzip' }));
      return dataTransfer;
    },
    { base64: bytes.toString('base64'), fileName: name },
  );
  const zone = page.getByTestId('drop-zone');
  await zone.dispatchEvent('dragenter', { dataTransfer: transfer });
  await zone.dispatchEvent('dragover', { dataTransfer: transfer });
  await zone.dispatchEvent('drop', { dataTransfer: transfer });
}

describe('signed-in actions', { skip: chromiumSkip }, () => {
  let server: WebTestServer;
  let browser: Browser;
  let publisher: string;
  let reader: string;

  before(async () => {
    server = await startWebTestServer();
    publisher = (
      await server.api<{ secret: string }>('POST', '/tokens', { name: 'pub', role: 'publisher' })
    ).secret;
    reader = (
      await server.api<{ secret: string }>('POST', '/tokens', { name: 'read', role: 'reader' })
    ).secret;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the token lives in this tab only: sessionStorage, never localStorage, a cookie or the URL', async () => {
    const { page, context } = await openPage(browser, server.origin);
    try {
      await signIn(page, publisher);
      const stored = await page.evaluate(() => ({
        session: sessionStorage.getItem('plugboard.session'),
        local: localStorage.length,
        cookie: document.cookie,
        url: location.href,
      }));
      assert.equal((JSON.parse(stored.session ?? '{}') as { token?: string }).token, publisher);
      assert.equal(stored.local, 0);
      assert.equal(stored.cookie, '');
      assert.ok(!stored.url.includes(publisher));
      assert.match((await page.locator('.session-who').textContent()) ?? '', /publisher · default/);
      // Another tab starts signed out.
      const other = await context.newPage();
      await other.goto('/');
      await other.getByRole('link', { name: 'Sign in' }).waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('link', { name: 'Sign in' }).waitFor();
      assert.equal(await page.evaluate(() => sessionStorage.getItem('plugboard.session')), null);
      // A wrong token is refused and not kept.
      await page.goto('/sign-in');
      await page.getByLabel('Token').fill('pb_not-a-real-token-at-all');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').filter({ hasText: 'UNAUTHENTICATED' }).waitFor();
      assert.equal(await page.evaluate(() => sessionStorage.getItem('plugboard.session')), null);
      // Blank (it would ask anonymously) and unsendable tokens are refused too.
      await page.getByLabel('Token').fill('   ');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: 'UNAUTHENTICATED: the server did not accept this token' })
        .waitFor();
      await page.getByLabel('Token').fill('pb_with a space');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').filter({ hasText: 'INVALID_ARGUMENT' }).waitFor();
      assert.equal(await page.evaluate(() => sessionStorage.getItem('plugboard.session')), null);
    } finally {
      await context.close();
    }
  });

  test('publish by drag and drop with a progress bar, see the versions appear, then yank, deprecate, disable and enable', async () => {
    const { page, context, errors } = await openPage(browser, server.origin);
    try {
      await signIn(page, publisher, '/publish');
      await page.getByRole('heading', { name: 'Publish a package' }).waitFor();

      // Watch the progress bar from inside the page while a throttled upload runs.
      await page.evaluate(() => {
        const seen: number[] = [];
        (window as unknown as { __progress: number[] }).__progress = seen;
        const sample = () => {
          const bar = document.querySelector<HTMLProgressElement>('#publish-progress');
          if (bar !== null) seen.push(bar.value / bar.max);
          requestAnimationFrame(sample);
        };
        sample();
      });
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: THROTTLED_UPLOAD_BYTES_PER_SECOND,
      });
      await dropFile(
        page,
        'demo-widget-1.0.0.tgz',
        pluginPackage(widget('1.0.0'), LARGE_PACKAGE_FILLER_BYTES),
      );
      await page
        .getByRole('status')
        .filter({ hasText: 'Published demo-widget@1.0.0' })
        .waitFor({ timeout: 60_000 });
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
      const progress = await page.evaluate(
        () => (window as unknown as { __progress: number[] }).__progress,
      );
      assert.ok(
        progress.some((fraction) => fraction > 0 && fraction < 1),
        `the bar showed a partial upload (saw ${progress.length} samples)`,
      );

      // The keyboard path: the file picker.
      await page.getByLabel('Package file').setInputFiles({
        name: 'demo-widget-1.1.0.tgz',
        mimeType: 'application/gzip',
        buffer: pluginPackage(widget('1.1.0')),
      });
      await page.getByRole('status').filter({ hasText: 'Published demo-widget@1.1.0' }).waitFor();
      // A broken package is refused with the server's reason.
      await dropFile(page, 'broken.tgz', Buffer.from('not a gzip tar'));
      await page.getByRole('alert').filter({ hasText: 'PACKAGE_INVALID' }).waitFor();
      await saveScreenshot(page, 'publish-refused');

      await page.goto('/plugins/demo-widget');
      const row = (version: string) => page.locator(`tr[data-version="${version}"]`);
      await row('1.1.0').waitFor();
      await row('1.0.0').waitFor();
      assert.equal(
        await page.locator('.install-command').textContent(),
        'plugboard install demo-widget@1.1.0',
      );

      await row('1.1.0').getByRole('button', { name: 'Yank… 1.1.0' }).click();
      const reason = page.getByLabel('Reason (optional)');
      assert.equal(
        await page.evaluate(() => document.activeElement?.id),
        'version-action-text',
        'focus moves into the form',
      );
      await reason.fill('bad build');
      await page.getByRole('button', { name: 'Yank version' }).click();
      await page.getByRole('status').filter({ hasText: 'Yanked 1.1.0.' }).waitFor();
      await row('1.1.0').filter({ hasText: 'bad build' }).waitFor();
      await page.locator('.install-command', { hasText: 'demo-widget@1.0.0' }).waitFor();

      await row('1.0.0').getByRole('button', { name: 'Deprecate… 1.0.0' }).click();
      await page.getByLabel('Deprecation message').fill('use 2.x');
      await page.getByLabel('Deprecation message').press('Enter');
      await row('1.0.0')
        .filter({ hasText: /deprecated\s*use 2\.x/ })
        .waitFor();

      await row('1.1.0').getByRole('button', { name: 'Unyank 1.1.0' }).click();
      await page.getByRole('status').filter({ hasText: 'Lifted the yank of 1.1.0.' }).waitFor();
      await page.locator('.install-command', { hasText: 'demo-widget@1.1.0' }).waitFor();

      await page.getByRole('button', { name: 'Disable plugin' }).click();
      await page.locator('.plugin-header .badge', { hasText: 'disabled' }).waitFor();
      await page.goto('/?state=disabled');
      await page.locator('.card[data-plugin="demo-widget"]').waitFor();
      await page.goto('/plugins/demo-widget');
      await page.getByRole('button', { name: 'Enable plugin' }).click();
      await page.getByRole('status').filter({ hasText: 'Enabled demo-widget.' }).waitFor();
      // The status line can show before the header re-renders: wait for the badge to go (this
      // times out, failing the test, if it never does).
      await page
        .locator('.plugin-header .badge', { hasText: 'disabled' })
        .waitFor({ state: 'detached' });

      const detail = await server.api<{
        state: string;
        versions: { version: string; yanked: boolean; deprecated?: string }[];
      }>('GET', '/plugins/demo-widget');
      assert.equal(detail.state, 'enabled');
      assert.deepEqual(
        detail.versions.map((v) => [v.version, v.yanked, v.deprecated ?? '']),
        [
          ['1.1.0', false, ''],
          ['1.0.0', false, 'use 2.x'],
        ],
      );
      await saveScreenshot(page, 'signed-in-actions');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a token revoked while the tab holds it leads back to signing in', async () => {
    const created = await server.api<{ id: string; secret: string }>('POST', '/tokens', {
      name: 'short-lived',
      role: 'reader',
    });
    const { page, context } = await openPage(browser, server.origin);
    try {
      await signIn(page, created.secret, '/?q=demo');
      await page
        .locator('#result-count')
        .filter({ hasText: /plugin/ })
        .waitFor();
      await server.api('DELETE', `/tokens/${created.id}`);
      await page.reload();
      const alert = page.getByRole('alert').filter({ hasText: 'UNAUTHENTICATED' });
      await alert.waitFor();
      await alert.getByRole('link', { name: 'Sign in again' }).click();
      await page.waitForURL(
        (url) => url.pathname === '/sign-in' && url.searchParams.get('next') === '/?q=demo',
      );
    } finally {
      await context.close();
    }
  });

  test('a reader sees no publish page and no management buttons', async () => {
    const { page, context } = await openPage(browser, server.origin);
    try {
      await signIn(page, reader, '/plugins/demo-widget');
      await page.locator('tr[data-version="1.0.0"]').waitFor();
      assert.equal(
        await page.getByRole('button', { name: /Yank|Deprecate|Disable plugin/ }).count(),
        0,
      );
      assert.equal(await page.getByRole('link', { name: 'Publish' }).count(), 0);
      await page.goto('/publish');
      await page.getByText('Publishing needs a token with the publisher role.').waitFor();
    } finally {
      await context.close();
    }
  });
});
