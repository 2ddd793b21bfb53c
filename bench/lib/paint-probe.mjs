/* global window, document, sessionStorage, performance, PerformanceObserver, MutationObserver, Node, requestAnimationFrame */
// What the web benchmark injects into every page before the app's own scripts (Playwright's
// addInitScript serialises `installPaintProbe`, so it must not use anything outside its body).
//
// "Cards painted" is Chromium's Element Timing: as soon as an element with class `card` enters the
// DOM, the probe's MutationObserver (a microtask, so before the next frame is rendered) gives it and
// every element inside it an `elementtiming` attribute; Chromium then reports, through a
// PerformanceObserver, the `renderTime` of the frame in which each of those elements' text was first
// painted (same time origin as the paint timing entries: the navigation's start).

/** The `elementtiming` identifier the probe gives to plugin cards. */
export const CARD_TIMING_ID = 'bench-card';

/**
 * Runs in the page. Signs the tab in (the session the app reads from sessionStorage) when
 * `session` is given, then records card paints, card insertions and the last input event in
 * `window.__benchPaintProbe`.
 */
export function installPaintProbe({ sessionKey, session, cardTimingId }) {
  if (session !== undefined) sessionStorage.setItem(sessionKey, JSON.stringify(session));
  const probe = {
    /** renderTime of every card element painted, in order of report. */
    cardPaints: [],
    /** performance.now() when cards were inserted into the DOM. */
    cardInsertions: [],
    /** performance.now() in the first animation frame after each insertion. */
    framesAfterInsertion: [],
    /** performance.now() of the last `input` event (the search box). */
    lastInputAt: undefined,
  };
  window.__benchPaintProbe = probe;

  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // The probe's own marks, or an elementtiming the app itself put inside a card.
      if (entry.identifier !== cardTimingId && entry.element?.closest('.card') == null) continue;
      // Text has no load time; renderTime is 0 only when the paint time is hidden (cross-origin).
      probe.cardPaints.push(entry.renderTime > 0 ? entry.renderTime : entry.startTime);
    }
  }).observe({ type: 'element', buffered: true });

  const markCard = (card) => {
    for (const element of [card, ...card.querySelectorAll('*')]) {
      if (!element.hasAttribute('elementtiming'))
        element.setAttribute('elementtiming', cardTimingId);
    }
  };
  new MutationObserver((records) => {
    let inserted = 0;
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        const cards = node.matches('.card') ? [node] : node.querySelectorAll('.card');
        for (const card of cards) {
          markCard(card);
          inserted++;
        }
      }
    }
    if (inserted === 0) return;
    probe.cardInsertions.push(performance.now());
    requestAnimationFrame(() => probe.framesAfterInsertion.push(performance.now()));
  }).observe(document, { childList: true, subtree: true });

  document.addEventListener(
    'input',
    () => {
      probe.lastInputAt = performance.now();
    },
    true,
  );
}

/** Waits (in the page) until the paint entries a load or a search needs have been reported. */
export function pageHasPainted({ afterInput, fullCount }) {
  const probe = window.__benchPaintProbe;
  if (probe === undefined) return false;
  const count = document.querySelector('#result-count')?.textContent ?? '';
  if (afterInput) {
    return (
      probe.lastInputAt !== undefined &&
      probe.cardPaints.some((time) => time > probe.lastInputAt) &&
      count !== fullCount &&
      /\d/.test(count)
    );
  }
  const fcp = performance.getEntriesByName('first-contentful-paint', 'paint').length > 0;
  return fcp && probe.cardPaints.length > 0;
}

/** The figures of one load (in the page), all in ms since the navigation started. */
export function readLoadTimings() {
  const probe = window.__benchPaintProbe;
  const [fcp] = performance.getEntriesByName('first-contentful-paint', 'paint');
  const [navigation] = performance.getEntriesByType('navigation');
  const [list] = performance
    .getEntriesByType('resource')
    .filter((entry) => new URL(entry.name).pathname === '/api/v1/plugins');
  return {
    fcp: fcp.startTime,
    firstCardsPainted: Math.min(...probe.cardPaints),
    firstCardsInserted: probe.cardInsertions[0],
    frameAfterInsertion: probe.framesAfterInsertion[0],
    domContentLoaded: navigation?.domContentLoadedEventEnd,
    // JS and CSS served from the HTTP cache (transferSize 0): none when the load was cold.
    cachedAssets: performance
      .getEntriesByType('resource')
      .filter((entry) => /\.(?:js|css)$/.test(new URL(entry.name).pathname))
      .filter((entry) => entry.transferSize === 0 && entry.decodedBodySize > 0).length,
    listRequestStart: list?.startTime,
    listResponseEnd: list?.responseEnd,
    cards: document.querySelectorAll('.card').length,
    resultCount: document.querySelector('#result-count')?.textContent ?? '',
  };
}

/** The search's timings (in the page): last keystroke → first result cards painted. */
export function readSearchTimings() {
  const probe = window.__benchPaintProbe;
  const after = probe.cardPaints.filter((time) => time > probe.lastInputAt);
  return {
    painted: Math.min(...after) - probe.lastInputAt,
    resultCount: document.querySelector('#result-count')?.textContent ?? '',
  };
}
