// Order statistics over samples (milliseconds unless said otherwise).

/** The p-th percentile (0–100) by nearest rank; NaN for no samples. */
export function percentile(samples, p) {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** The median (p50). */
export function median(samples) {
  return percentile(samples, 50);
}

/** Milliseconds elapsed since a `process.hrtime.bigint()` reading. */
export function elapsedMs(start) {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
