// One measured figure: its value, the baseline measured in the same run, the target from the issue
// that set it, and whether it was met. Ratios are always subject ÷ baseline.
import { loadAverage } from './machine.mjs';

/**
 * Target kinds: `ratio-max` (value ÷ baseline ≤ limit), `ratio-min` (≥ limit), `max` (value <
 * limit), `min` (value ≥ limit).
 */
function isMet(target, value, ratio) {
  switch (target.kind) {
    case 'ratio-max':
      return ratio <= target.limit;
    case 'ratio-min':
      return ratio >= target.limit;
    case 'max':
      return value < target.limit;
    case 'min':
      return value >= target.limit;
    default:
      throw new Error(`unknown target kind ${target.kind}`);
  }
}

/** A measured figure, with its ratio and status worked out and the load average noted. */
export function measured({ part, id, label, value, unit, baseline, target, note }) {
  const ratio =
    baseline !== undefined && Number.isFinite(baseline.value) && baseline.value !== 0
      ? value / baseline.value
      : undefined;
  let status = 'info';
  if (!Number.isFinite(value)) status = 'not measured';
  else if (target !== undefined) {
    const comparable = target.kind.startsWith('ratio') ? ratio !== undefined : true;
    status = comparable && isMet(target, value, ratio) ? 'met' : 'not met';
  }
  return {
    part,
    id,
    label,
    value,
    unit,
    baseline,
    ratio,
    target,
    status,
    loadavg: loadAverage(),
    note,
  };
}

/** A figure that could not be measured, with the reason. */
export function notMeasured({ part, id, label, target, reason }) {
  return {
    part,
    id,
    label,
    value: null,
    unit: '',
    baseline: undefined,
    ratio: undefined,
    target,
    status: 'not measured',
    loadavg: loadAverage(),
    note: reason,
  };
}
