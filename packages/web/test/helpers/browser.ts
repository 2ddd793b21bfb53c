import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { skipUnlessAvailable } from '@plugboard/test-support';

/** Debian's Chromium, or the one `PLUGBOARD_CHROMIUM` names. */
export const CHROMIUM_PATH = process.env['PLUGBOARD_CHROMIUM'] ?? '/usr/bin/chromium';

/** The `skip` option of every browser test: false when Chromium is installed. */
export const chromiumSkip = skipUnlessAvailable(
  'Chromium',
  existsSync(CHROMIUM_PATH),
  'apt-get install -y chromium (or set PLUGBOARD_CHROMIUM to a Chromium binary)',
);

/** Where screenshots go: `test-artifacts/web/` at the repository root (gitignored). */
export const ARTIFACTS_FOLDER = fileURLToPath(
  new URL('../../../../../test-artifacts/web/', import.meta.url),
);

/** Generous timeout of one browser step on a busy 2-core machine, in milliseconds. */
export const STEP_TIMEOUT_MS = 20_000;

/** Headless Chromium with the flags CI needs (no sandbox in containers, nothing phoned home). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A page with everything it said and did recorded, to assert on side effects. */
export interface WatchedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console messages as `type: text`. */
  readonly console: string[];
  /** Uncaught exceptions in the page. */
  readonly errors: string[];
  /** Dialogs (alert, confirm, prompt) the page opened; each is dismissed. */
  readonly dialogs: string[];
  /** Requests that failed, as `url: reason`. */
  readonly failedRequests: string[];
}

/** Options of `openPage`. */
export interface OpenPageOptions {
  readonly viewport?: { width: number; height: number } | undefined;
  /** Grant clipboard access for the origin (the copy button). */
  readonly clipboard?: boolean | undefined;
}

/** A fresh browser context (its own sessionStorage) and page on `origin`. */
export async function openPage(
  browser: Browser,
  origin: string,
  options: OpenPageOptions = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 900 },
    baseURL: origin,
  });
  if (options.clipboard === true) {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  }
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  const watched: WatchedPage = {
    context,
    page,
    console: [],
    errors: [],
    dialogs: [],
    failedRequests: [],
  };
  page.on('console', (message) => watched.console.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => watched.errors.push(error.message));
  page.on('dialog', (dialog) => {
    watched.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('requestfailed', (request) =>
    watched.failedRequests.push(`${request.url()}: ${request.failure()?.errorText ?? '?'}`),
  );
  return watched;
}

/** Saves a full-page screenshot as `test-artifacts/web/<name>.png`; returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_FOLDER, { recursive: true });
  const path = `${ARTIFACTS_FOLDER}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Signs the page in through the sign-in form with `token` and waits to be back on `next`. */
export async function signIn(page: Page, token: string, next = '/'): Promise<void> {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
