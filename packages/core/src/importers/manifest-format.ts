import type { PluginManifest } from '../manifest/manifest-schema.js';

/** Every manifest format Plugboard reads. `pulumicost` covers both the flat and the nested form. */
export const MANIFEST_FORMATS = ['native', 'spaceone', 'pulumicost', 'inventory', 'ocm'] as const;

/** A manifest format name. */
export type ManifestFormat = (typeof MANIFEST_FORMATS)[number];

/** What an importer produced. */
export interface ImportedManifest {
  readonly format: ManifestFormat;
  readonly manifest: PluginManifest;
  /** Things that were accepted but a human should know about (ignored fields, defaults taken). */
  readonly warnings: readonly string[];
}

/** Converts one parsed document of a foreign format to the native model. */
export interface ManifestImporter {
  readonly format: ManifestFormat;
  /** True when the document looks like this format. Called in a fixed order; first match wins. */
  detect(document: Record<string, unknown>): boolean;
  /** Converts the document, throwing `MANIFEST_INVALID` naming the field paths on bad input. */
  import(document: Record<string, unknown>): ImportedManifest;
}
