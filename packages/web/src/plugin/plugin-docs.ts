import type { PluginDetail } from '@plugboard/client';

/** A block of Markdown documentation found on a plugin. */
export interface PluginDoc {
  readonly title: string;
  readonly markdown: string;
}

/** Longest Markdown text rendered, in characters (a hostile repository cannot freeze the page). */
export const MAX_DOC_CHARS = 200_000;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== ''
    ? value.slice(0, MAX_DOC_CHARS)
    : undefined;
}

/**
 * The long documentation of a plugin: SpaceONE's `tags.long_description`, or a `long_description`
 * / `readme` kept in the manifest's `metadata` by the importers. The description is shown apart.
 */
export function pluginDocs(detail: PluginDetail): PluginDoc[] {
  const metadata = detail.manifest['metadata'];
  const meta =
    typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>) : {};
  const docs: PluginDoc[] = [];
  const long = text(detail.tags['long_description']) ?? text(meta['long_description']);
  if (long !== undefined) docs.push({ title: 'Documentation', markdown: long });
  const readme = text(meta['readme']);
  if (readme !== undefined) docs.push({ title: 'Readme', markdown: readme });
  return docs;
}

/** One capability as the manifest declares it. */
export interface CapabilityInfo {
  readonly type: string;
  readonly endpoints: readonly string[];
  readonly details: readonly string[];
}

/** The manifest's capabilities (type, endpoints, vendor…), or the summary's types alone. */
export function pluginCapabilities(detail: PluginDetail): CapabilityInfo[] {
  const declared = detail.manifest['capabilities'];
  if (Array.isArray(declared) && declared.length > 0) {
    return declared.flatMap((entry: unknown) => {
      if (typeof entry !== 'object' || entry === null) return [];
      const record = entry as Record<string, unknown>;
      const endpoints = Array.isArray(record['endpoints'])
        ? record['endpoints'].filter((e): e is string => typeof e === 'string')
        : [];
      const details = Object.entries(record)
        .filter(
          ([key, value]) =>
            key !== 'type' &&
            key !== 'endpoints' &&
            key !== 'schemas' &&
            (typeof value === 'string' || typeof value === 'number'),
        )
        .map(([key, value]) => `${key}: ${String(value)}`);
      return [
        {
          type: typeof record['type'] === 'string' ? record['type'] : 'unknown',
          endpoints,
          details,
        },
      ];
    });
  }
  return detail.capabilities.map((type) => ({ type, endpoints: [], details: [] }));
}
