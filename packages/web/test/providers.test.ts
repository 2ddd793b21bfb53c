import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from './helpers/axe.js';
import {
  chromiumSkip,
  launchChromium,
  openPage,
  saveScreenshot,
  signIn,
} from './helpers/browser.js';
import { EXAMPLE_PASSWORD, exampleProviderPackage } from './helpers/provider-plugin.js';
import { startWebTestServer, type WebTestServer } from './helpers/web-test-server.js';

/** Virtual machines the collection reports (plus one host): two pages of 25 resources. */
const VM_COUNT = 30;

/** A collection that would take minutes (2,000 VMs, 50 ms apart): only canceling ends it. */
const SLOW_CONFIG = { password: EXAMPLE_PASSWORD, count: 2000, interval_ms: 50 };

/** What the page's focused element is: its tag, id and text. */
function focused(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    return {
      tag: element?.tagName.toLowerCase() ?? '',
      id: element?.id ?? '',
      text: element?.textContent?.trim() ?? '',
    };
  });
}

describe('providers', { skip: chromiumSkip }, () => {
  let server: WebTestServer;
  let browser: Browser;
  let publisher: string;

  before(async () => {
    server = await startWebTestServer();
    const upload = await server.raw(
      'POST',
      '/provider-plugins/upload',
      exampleProviderPackage(),
      'application/gzip',
    );
    assert.equal(upload.status, 201, await upload.text());
    publisher = (
      await server.api<{ secret: string }>('POST', '/tokens', { name: 'ops', role: 'publisher' })
    ).secret;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('create a provider with a secret from the plugin’s connection parameters, collect, watch the run complete and browse its resources', async () => {
    const { page, context, errors } = await openPage(browser, server.origin);
    try {
      await signIn(page, publisher, '/providers');
      await page.getByText('No providers yet.').waitFor();
      await page.getByRole('link', { name: 'New provider' }).click();
      await page.getByLabel('Provider plugin').selectOption('example:static');
      await page.waitForURL('**/providers/new?plugin=example%3Astatic');

      const password = page.getByLabel(/^password/);
      assert.equal(
        await password.getAttribute('type'),
        'password',
        'a secret parameter is a password field',
      );
      assert.equal(await password.getAttribute('autocomplete'), 'new-password');
      assert.equal(await page.getByLabel('count').inputValue(), '3', 'defaults are filled in');
      assert.equal(await page.getByLabel('count').getAttribute('type'), 'number');
      assert.equal(await page.getByLabel('verify_ssl').getAttribute('type'), 'checkbox');
      assert.equal(
        await page.getByText('virtual machines to report').count(),
        1,
        'descriptions are hints',
      );

      await page.getByLabel('Name *').fill('lab');
      await page.getByRole('button', { name: 'Create provider' }).click();
      await page.locator('.field-error', { hasText: 'password is required' }).waitFor();

      await page.getByLabel('Endpoint').fill('vcenter.lab.example');
      await password.fill(EXAMPLE_PASSWORD);
      await page.getByLabel('count').fill(String(VM_COUNT));
      await page.getByLabel('interval_ms').fill('40');
      await page.getByRole('button', { name: 'Create provider' }).click();
      await page.getByRole('heading', { level: 1, name: 'lab' }).waitFor();
      assert.match(page.url(), /\/providers\/[^/]+$/);

      const facts = (await page.locator('dl.facts').textContent()) ?? '';
      assert.match(facts, /example:static/);
      assert.match(facts, /password \(secret\)\*{8}/);
      assert.ok(
        !(await page.content()).includes(EXAMPLE_PASSWORD),
        'the secret is never shown again',
      );

      // Collect: the run's state is followed live until it ends.
      await page.evaluate(() => {
        const states: string[] = [];
        (window as unknown as { __states: string[] }).__states = states;
        const sample = () => {
          const state = document.querySelector('.run-progress')?.getAttribute('data-state');
          if (state != null && states[states.length - 1] !== state) states.push(state);
          requestAnimationFrame(sample);
        };
        sample();
      });
      await page.getByRole('button', { name: 'Collect now' }).click();
      await page.locator('.run-progress[data-state="completed"]').waitFor({ timeout: 60_000 });
      const states = await page.evaluate(
        () => (window as unknown as { __states: string[] }).__states,
      );
      assert.equal(states[states.length - 1], 'completed');
      assert.ok(
        states.length >= 2 && ['pending', 'running'].includes(states[0] ?? ''),
        `progress was live: ${states.join(' → ')}`,
      );
      assert.match(
        (await page.locator('.run-progress').textContent()) ?? '',
        new RegExp(`found ${VM_COUNT + 1} · created ${VM_COUNT + 1}`),
      );
      await page.locator('table.runs tbody tr', { hasText: 'completed' }).waitFor();

      // Resources: paged, filtered by type and by text.
      await page.locator('#resources-count', { hasText: `${VM_COUNT + 1} resources` }).waitFor();
      assert.equal(await page.locator('table.resources tbody tr').count(), 25);
      await page
        .getByRole('navigation', { name: 'Resource pages' })
        .getByRole('button', { name: 'Next →' })
        .click();
      await page
        .getByRole('navigation', { name: 'Resource pages' })
        .getByText('Page 2 of 2')
        .waitFor();
      await page
        .locator('table.resources tbody tr')
        .nth(VM_COUNT + 1 - 25)
        .waitFor({ state: 'detached' });
      assert.equal(await page.locator('table.resources tbody tr').count(), VM_COUNT + 1 - 25);
      await page.getByLabel('Resource type').fill('hypervisor_host');
      await page.getByLabel('Resource type').press('Enter');
      await page.locator('#resources-count', { hasText: /^1 resource$/ }).waitFor();
      assert.equal(await page.locator('table.resources tbody th').textContent(), 'host 0');
      await page.getByLabel('Resource type').fill('');
      await page.getByLabel('Resource type').press('Enter');
      await page.getByLabel('Search', { exact: true }).fill('vm 17');
      await page.getByLabel('Search', { exact: true }).press('Enter');
      await page.locator('#resources-count', { hasText: /^1 resource$/ }).waitFor();
      assert.match(
        (await page.locator('table.resources tbody tr').textContent()) ?? '',
        /vm 17\s*virtual_machine\s*vm-17\s*(running|stopped)/,
      );
      await saveScreenshot(page, 'provider-after-collect');

      await page.getByRole('link', { name: 'Providers' }).click();
      const row = page.locator('tbody tr', { hasText: 'lab' });
      await row.waitFor();
      assert.match(
        (await row.textContent()) ?? '',
        /example:static\s*vcenter\.lab\.example\s*enabled/,
      );
      await saveScreenshot(page, 'providers-list');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('cancel the running collection of a slow provider; deleting is refused (409) until then, then the list no longer has it', async () => {
    const slow = await server.api<{ id: string }>('POST', '/providers', {
      name: 'slow',
      vendor: 'example',
      provider_type: 'static',
      connection_config: SLOW_CONFIG,
    });
    const { page, context, errors, dialogs } = await openPage(browser, server.origin);
    try {
      await signIn(page, publisher, `/providers/${slow.id}`);
      await page.getByRole('heading', { level: 1, name: 'slow' }).waitFor();
      await page.getByRole('button', { name: 'Collect now' }).click();
      await page.locator('.run-progress[data-state="running"]').waitFor({ timeout: 60_000 });
      const cancel = page.getByRole('button', { name: 'Cancel run' });
      await cancel.waitFor();
      assert.deepEqual(await axeViolations(page), [], 'the running run and its Cancel button');

      // Deleting while the run goes on: the confirmation opens on its safe choice, the server's
      // 409 is shown in it, Escape closes it and gives focus back.
      await page.getByRole('button', { name: 'Delete provider…' }).click();
      await page.getByRole('button', { name: 'Keep provider' }).waitFor();
      assert.equal((await focused(page)).text, 'Keep provider');
      await page.getByRole('button', { name: 'Delete provider', exact: true }).click();
      const refused = page.locator('.danger-form [role="alert"]');
      await refused.waitFor();
      assert.match(
        (await refused.textContent()) ?? '',
        /^The provider was not deleted: CONFLICT: provider "[^"]+" has a running collection run "[^"]+"; cancel it first$/,
      );
      await saveScreenshot(page, 'provider-delete-refused');
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Keep provider' }).waitFor({ state: 'detached' });
      assert.equal((await focused(page)).text, 'Delete provider…');

      // Cancel with the keyboard: focus moves to the run's status line, which ends canceled.
      await cancel.focus();
      await page.keyboard.press('Enter');
      await page.locator('.run-progress[data-state="canceled"]').waitFor({ timeout: 60_000 });
      assert.match((await focused(page)).id, /^run-status-/);
      assert.equal(await page.getByRole('button', { name: /Cancel run|Canceling/ }).count(), 0);
      await page.locator('table.runs tbody tr', { hasText: 'canceled' }).waitFor();
      assert.ok(
        await page.getByRole('button', { name: 'Collect now' }).isEnabled(),
        'a new run can start',
      );
      const runs = await server.api<{ runs: { state: string; cancel_requested: boolean }[] }>(
        'GET',
        `/runs?provider_id=${slow.id}`,
      );
      assert.deepEqual(
        runs.runs.map((run) => run.state),
        ['canceled'],
      );
      await saveScreenshot(page, 'provider-run-canceled');

      // Now the provider can go: the list confirms it and no longer has it.
      await page.getByRole('button', { name: 'Delete provider…' }).click();
      await page.getByRole('button', { name: 'Delete provider', exact: true }).click();
      await page.waitForURL('**/providers');
      await page.getByRole('status').filter({ hasText: 'Deleted provider slow.' }).waitFor();
      await page.locator('#providers-heading').waitFor();
      await page
        .locator('table, p', { hasText: /lab|No providers yet/ })
        .first()
        .waitFor();
      assert.equal(await page.getByRole('link', { name: 'slow', exact: true }).count(), 0);
      const gone = await server.raw('GET', `/providers/${slow.id}`);
      assert.equal(gone.status, 404);
      await saveScreenshot(page, 'provider-deleted');
      assert.deepEqual(dialogs, [], 'the confirmation is part of the page, not a dialog');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
