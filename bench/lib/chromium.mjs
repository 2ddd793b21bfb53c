// Debian's Chromium driven by playwright-core, with the flags the web tests use (packages/web/test):
// no sandbox in containers, no GPU, nothing phoned home.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** Debian's Chromium, or the one `PLUGBOARD_CHROMIUM` names (as in the web tests). */
export const CHROMIUM_PATH = process.env.PLUGBOARD_CHROMIUM ?? '/usr/bin/chromium';

/** Throws a clear error when Chromium is not installed (check before any long preparation). */
export function requireChromium() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (or set PLUGBOARD_CHROMIUM)`,
    );
  }
}

/** Headless Chromium. */
export async function launchChromium() {
  requireChromium();
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
