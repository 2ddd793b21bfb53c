// The printed table and the files a run leaves: bench/results/<timestamp>.json and .md.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

function formatNumber(value, unit) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const digits =
    Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  const text = value.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  });
  return unit === '' ? text : `${text} ${unit}`;
}

function row(figure) {
  return [
    figure.label,
    figure.status === 'not measured' && figure.value === null
      ? '—'
      : formatNumber(figure.value, figure.unit),
    figure.baseline === undefined
      ? '—'
      : `${formatNumber(figure.baseline.value, figure.unit)} (${figure.baseline.label})`,
    figure.ratio === undefined ? '—' : `${figure.ratio.toFixed(2)}×`,
    figure.target === undefined ? '—' : figure.target.text,
    figure.status,
    figure.loadavg,
  ];
}

const HEADER = [
  'figure',
  'value',
  'baseline (same run)',
  'ratio',
  'target',
  'status',
  'load 1/5/15 min',
];

/** The figures as an aligned plain-text table, notes listed below it. */
export function textTable(figures) {
  const rows = [HEADER, ...figures.map(row)];
  const widths = HEADER.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  const notes = figures.filter((f) => f.note !== undefined).map((f) => `  - ${f.label}: ${f.note}`);
  return [
    line(rows[0]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
    '',
    'Notes:',
    ...notes,
  ].join('\n');
}

/** The figures as a Markdown table (for docs/performance.md), notes listed below it. */
export function markdownTable(figures) {
  const escape = (cell) => cell.replaceAll('|', '\\|');
  const lines = [
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map(() => '---').join(' | ')} |`,
    ...figures.map((f) => `| ${row(f).map(escape).join(' | ')} |`),
    '',
    ...figures.filter((f) => f.note !== undefined).map((f) => `- **${f.label}**: ${f.note}`),
  ];
  return lines.join('\n');
}

/** Writes `<resultsDir>/<timestamp>.json` and `.md`; returns their paths. */
export async function writeResults(resultsDir, results) {
  await mkdir(resultsDir, { recursive: true });
  const stamp = results.startedAt.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
  const json = join(resultsDir, `${stamp}.json`);
  const md = join(resultsDir, `${stamp}.md`);
  await writeFile(json, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(
    md,
    [
      `# Benchmark run ${results.startedAt}`,
      '',
      `Command: \`${results.command}\` at commit ${results.commit}`,
      '',
      '```',
      `nproc: ${results.machine.nproc}   cpu: ${results.machine.cpuModel}   kernel: ${results.machine.kernel}   node: ${results.machine.node}`,
      results.machine.freeG,
      '```',
      '',
      markdownTable(results.figures),
      '',
    ].join('\n'),
  );
  return { json, md };
}
