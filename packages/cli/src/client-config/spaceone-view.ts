import type { PluginSummary } from '@plugboard/client';

/**
 * A registry plugin in the field names spacectl users know (seed 002): `plugin_id` is the
 * plugin's name, `name` its display name, `service_type` its type. Plugboard's own fields stay
 * available under their names too (`latest_version`, `repository_type`, `labels`, …).
 */
export function spaceoneView(plugin: PluginSummary): Record<string, unknown> {
  return {
    ...plugin,
    plugin_id: plugin.name,
    name: plugin.display_name ?? plugin.name,
    service_type: plugin.type,
    image: plugin.image?.image,
    registry_type: plugin.image?.registry_type,
    provider: plugin.providers[0],
    capability: plugin.capabilities.join(','),
    version: plugin.latest_version,
    repository_id: plugin.repository.id,
    repository: plugin.repository.name,
  };
}

/** The default columns of `plugboard plugins`. */
export const DEFAULT_PLUGIN_COLUMNS: readonly string[] = [
  'plugin_id',
  'name',
  'service_type',
  'image',
  'state',
  'version',
];

/** A (dotted) field of a view as text: lists joined with `,`, objects as JSON, absent as ''. */
export function fieldText(view: Record<string, unknown>, field: string): string {
  let value: unknown = view;
  for (const part of field.split('.')) {
    value =
      typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>)[part]
        : undefined;
  }
  if (value === undefined || value === null) return '';
  if (Array.isArray(value))
    return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(',');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

/**
 * spacectl's table: a header row, a dashed rule with `+` at the column breaks, the rows, then
 * ` Count: n / total`; `NO DATA` when there are no rows.
 */
export function spaceoneTable(
  columns: readonly string[],
  rows: readonly (readonly string[])[],
  total: number,
): string {
  if (rows.length === 0) return 'NO DATA\n';
  const widths = columns.map((column, index) =>
    Math.max(column.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => ` ${cell.padEnd(widths[index] ?? 0)} `)
      .join('|')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width + 2)).join('+');
  return `${[line(columns), rule, ...rows.map(line)].join('\n')}\n Count: ${rows.length} / ${total}\n`;
}

/** RFC 4180 CSV: a header line, then one line per row; fields quoted when they need it. */
export function csvText(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  return [columns, ...rows].map((row) => `${row.map(quote).join(',')}\r\n`).join('');
}
