import { PluginManifestSchema } from './manifest-schema.js';

/**
 * The native manifest's JSON Schema as a plain document (draft 2020-12), exactly what
 * `schemas/manifest.schema.json` holds. TypeBox adds symbol-keyed metadata that JSON cannot carry;
 * the round trip through JSON drops it.
 */
export function manifestJsonSchema(): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(PluginManifestSchema)) as Record<string, unknown>;
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...plain };
}
