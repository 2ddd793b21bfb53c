// Part 5: the web catalog in a real browser. `plugboard serve` on a generated catalog of 10,000
// plugins × 10 versions serves the built app at `/`; Debian's Chromium (headless, driven by
// playwright-core) loads the catalog in a fresh browser context each time (cold HTTP cache) and
// reports, with Chromium's own paint timing, when the page first painted anything (FCP) and when
// the first plugin cards were painted (the first meaningful paint), then how long a search typed
// into the box takes to paint its result cards. Also the gzipped size of the app's JS and CSS.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { REPO_ROOT } from '../lib/bench-paths.mjs';
import { gzippedAssetSizes } from '../lib/bundle-size.mjs';
import { CATALOG_DOMAIN_ID, generateCatalog } from '../lib/catalog.mjs';
import { stopProcess } from '../lib/child-processes.mjs';
import { launchChromium, requireChromium } from '../lib/chromium.mjs';
import { measured } from '../lib/figures.mjs';
import {
  CARD_TIMING_ID,
  installPaintProbe,
  pageHasPainted,
  readLoadTimings,
  readSearchTimings,
} from '../lib/paint-probe.mjs';
import { startPlugboardServer } from '../lib/plugboard-server.mjs';
import { elapsedMs, median } from '../lib/stats.mjs';

const CATALOG_PLUGINS = 10_000;
/** What the catalog's result line says when it shows the whole generated catalog. */
const FULL_CATALOG_COUNT = `${CATALOG_PLUGINS.toLocaleString('en')} plugins`;
/** Typed into the search box: one provider of seven, so about 1,430 matches. */
const SEARCH_TEXT = 'vmware';
/** The catalog's search debounce (packages/web/src/catalog/catalog-page.tsx SEARCH_DEBOUNCE_MS). */
const SEARCH_DEBOUNCE_MS = 250;
/** Where the built app is (what `plugboard serve` serves at `/`). */
const APP_DIST = join(REPO_ROOT, 'packages/web/dist/app');
/** The key the app keeps its session under (packages/web/src/session/session-store.ts). */
const SESSION_STORAGE_KEY = 'plugboard.session';
const VIEWPORT = { width: 1280, height: 900 };
/** Longest one browser step may take on a loaded machine before the run fails. */
const STEP_TIMEOUT_MS = 30_000;
const BUNDLE_LIMIT_KB = 150;
const FMP_LIMIT_MS = 1_000;

/** Loads per mode; the first load of each mode is a warm-up that is not counted. */
const RUNS = { quick: 5, full: 20 };
/** The measured loads stop once this budget is spent (whatever was measured is reported). */
const LOAD_BUDGET_MS = { quick: 90_000, full: 300_000 };

/** One cold load of the catalog in a new context, then a search typed into the box. */
async function loadCatalogOnce(browser, origin, session) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    await context.addInitScript(installPaintProbe, {
      sessionKey: SESSION_STORAGE_KEY,
      session,
      cardTimingId: CARD_TIMING_ID,
    });
    const page = await context.newPage();
    await page.goto(`${origin}/`, { waitUntil: 'commit' });
    await waitInPage(page, { afterInput: false }, 'the first plugin cards (`.card`) to be painted');
    const load = await page.evaluate(readLoadTimings);
    if (load.resultCount !== FULL_CATALOG_COUNT) {
      throw new Error(
        `the catalog says "${load.resultCount}", not "${FULL_CATALOG_COUNT}": the page did not show the generated catalog`,
      );
    }
    await page.locator('#catalog-search').pressSequentially(SEARCH_TEXT);
    await waitInPage(page, { afterInput: true }, `the result cards of the search "${SEARCH_TEXT}"`);
    const search = await page.evaluate(readSearchTimings);
    return { ...load, search: search.painted, searchResultCount: search.resultCount };
  } finally {
    await context.close();
  }
}

async function waitInPage(page, { afterInput }, what) {
  try {
    await page.waitForFunction(
      pageHasPainted,
      { afterInput, fullCount: FULL_CATALOG_COUNT },
      { polling: 50, timeout: STEP_TIMEOUT_MS },
    );
  } catch (error) {
    const shown = await page
      .locator('#result-count')
      .textContent({ timeout: 1_000 })
      .catch(() => 'nothing');
    throw new Error(
      `waiting for ${what}: ${error.message.split('\n')[0]} (the result line said: ${shown})`,
      { cause: error },
    );
  }
}

/** Rejects after `ms`, so no browser step can hold the benchmark past its budget. */
function withDeadline(promise, ms, what) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

const round = (ms) => Math.round(ms);
const maximum = (samples) => Math.max(...samples);

/** The web catalog's paint timings over cold loads in Chromium. */
export async function runWebPaint({ quick, tmp, log }) {
  const mode = quick ? 'quick' : 'full';
  requireChromium();
  const dataDir = join(tmp, 'web', 'data');
  await mkdir(dataDir, { recursive: true });
  const generationStart = process.hrtime.bigint();
  await generateCatalog(join(dataDir, 'plugboard.db'), { plugins: CATALOG_PLUGINS });
  log(`catalog: ${CATALOG_PLUGINS} plugins in ${round(elapsedMs(generationStart))} ms`);

  const adminToken = `bench-${randomBytes(16).toString('hex')}`;
  // The generated plugins are LOCAL, which the catalog lists to signed-in tabs only.
  const session = { token: adminToken, role: 'admin', domainId: CATALOG_DOMAIN_ID };
  let server;
  let browser;
  try {
    // Not pinned: the browser and the server share the machine, as on a user's laptop.
    server = await startPlugboardServer({ dataDir, adminToken, logLevel: 'warn' });
    browser = await launchChromium();
    log(`chromium ${browser.version()}; ${RUNS[mode]} loads (the first is a warm-up)`);

    const runs = [];
    let warmUp;
    const budgetEnd = Date.now() + LOAD_BUDGET_MS[mode];
    for (let run = 0; run < RUNS[mode] && Date.now() < budgetEnd; run++) {
      const result = await withDeadline(
        loadCatalogOnce(browser, server.origin, session),
        3 * STEP_TIMEOUT_MS,
        `catalog load ${run + 1}`,
      );
      log(
        `load ${run + 1}${run === 0 ? ' (warm-up)' : ''}: FCP ${round(result.fcp)} ms, cards painted ${round(result.firstCardsPainted)} ms (GET /api/v1/plugins ${round(result.listRequestStart)}–${round(result.listResponseEnd)} ms, cards inserted ${round(result.firstCardsInserted)} ms), search painted ${round(result.search)} ms after the last key`,
      );
      if (run === 0) warmUp = result;
      else runs.push(result);
    }
    if (runs.length === 0) throw new Error('no catalog load was measured within the budget');
    return [...paintFigures(runs, RUNS[mode] - 1), warmUpFigure(warmUp)];
  } finally {
    await browser?.close();
    await stopProcess(server?.child);
  }
}

function paintFigures(runs, planned) {
  const part = 'web';
  const fmp = runs.map((r) => r.firstCardsPainted);
  const fcp = runs.map((r) => r.fcp);
  const search = runs.map((r) => r.search);
  const inserted = runs.map((r) => r.firstCardsInserted);
  const frame = runs.map((r) => r.frameAfterInsertion);
  const listStart = runs.map((r) => r.listRequestStart);
  const listEnd = runs.map((r) => r.listResponseEnd);
  const cutShort = runs.length < planned ? ` (${planned} planned; the time budget ran out)` : '';
  const cached = runs.reduce((sum, r) => sum + r.cachedAssets, 0);
  const cache =
    cached === 0
      ? 'empty HTTP cache: every JS and CSS file came over the network'
      : `yet ${cached} JS/CSS responses came from the HTTP cache`;
  const loads = `${runs.length} cold loads${cutShort}, each in a new browser context (${cache}), after one warm-up load not counted; signed in (the generated plugins are LOCAL); viewport ${VIEWPORT.width}×${VIEWPORT.height}; server and Chromium not pinned`;
  const catalog = `${CATALOG_PLUGINS.toLocaleString('en-US')}-plugin catalog`;
  return [
    measured({
      part,
      id: 'catalog-fmp-p50',
      label: `catalog first meaningful paint p50, ${catalog}`,
      value: median(fmp),
      unit: 'ms',
      baseline: { label: 'FCP p50, same loads', value: median(fcp) },
      target: { kind: 'max', limit: FMP_LIMIT_MS, text: '< 1 s (issue 8)' },
      note: `first meaningful paint = Element Timing renderTime of the first plugin card (.card) painted, ms since navigation start; ${loads}. The page sent GET /api/v1/plugins at p50 ${round(median(listStart))} ms and had its answer at p50 ${round(median(listEnd))} ms; the cards entered the DOM at p50 ${round(median(inserted))} ms and the next requestAnimationFrame callback ran at p50 ${round(median(frame))} ms`,
    }),
    measured({
      part,
      id: 'catalog-fmp-max',
      label: `catalog first meaningful paint max, ${catalog}`,
      value: maximum(fmp),
      unit: 'ms',
      baseline: { label: 'FCP max, same loads', value: maximum(fcp) },
    }),
    measured({
      part,
      id: 'catalog-fcp-p50',
      label: 'catalog first contentful paint p50',
      value: median(fcp),
      unit: 'ms',
      note: `performance.getEntriesByType('paint') first-contentful-paint; max ${round(maximum(fcp))} ms`,
    }),
    measured({
      part,
      id: 'catalog-search-p50',
      label: `search "${SEARCH_TEXT}" typed → result cards painted p50`,
      value: median(search),
      unit: 'ms',
      note: `from the last keystroke's input event to the Element Timing renderTime of the first new result card; includes the catalog's ${SEARCH_DEBOUNCE_MS} ms debounce; max ${round(maximum(search))} ms; results: ${runs[0].searchResultCount}`,
    }),
  ];
}

/** The load not counted: the first after the server and the browser started. */
function warmUpFigure(warmUp) {
  return measured({
    part: 'web',
    id: 'catalog-fmp-first-load',
    label: 'catalog first meaningful paint, first load after server start',
    value: warmUp.firstCardsPainted,
    unit: 'ms',
    baseline: { label: 'FCP, same load', value: warmUp.fcp },
    note: `the warm-up load (not in the p50 or max above): the server answers its first catalog query and Chromium starts its first renderer; GET /api/v1/plugins from ${round(warmUp.listRequestStart)} to ${round(warmUp.listResponseEnd)} ms`,
  });
}

/** The built app's JS + CSS, gzipped, against issue 8's limit (no browser needed). */
export async function runWebBundle({ log }) {
  let sizes;
  try {
    sizes = await gzippedAssetSizes(APP_DIST);
  } catch (error) {
    throw new Error(`cannot read the built app in ${APP_DIST} (npm run build): ${error.message}`, {
      cause: error,
    });
  }
  if (sizes.length === 0) throw new Error(`no JS or CSS in ${APP_DIST}: run npm run build`);
  const kb = (bytes) => bytes / 1000;
  const total = sizes.reduce((sum, size) => sum + size.gzipBytes, 0);
  const raw = sizes.reduce((sum, size) => sum + size.bytes, 0);
  log(`web bundle: ${kb(total).toFixed(1)} KB gzipped JS + CSS in ${sizes.length} files`);
  const figure = measured({
    part: 'web',
    id: 'bundle-gzip',
    label: 'web app JS + CSS, gzipped',
    value: kb(total),
    unit: 'KB',
    target: { kind: 'max', limit: BUNDLE_LIMIT_KB, text: '< 150 KB gzipped (issue 8)' },
    note: `every .js and .css under packages/web/dist/app, each gzipped with node:zlib level 9, summed (1 KB = 1,000 bytes; ${kb(raw).toFixed(1)} KB before gzip): ${sizes.map((s) => `${s.file} ${kb(s.gzipBytes).toFixed(1)} KB`).join(', ')}`,
  });
  return [figure];
}
