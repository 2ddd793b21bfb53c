import { isValidVersion } from '@plugboard/core';
import type { VersionView } from '../../catalog/plugin-view.js';
import type { PluginImageVersions } from './plugin-image-versions.js';
import { metadataVersionView, sortNewestFirst, type PluginFields } from './plugin-views.js';

/** A plugin's versions and what could not be read. */
export interface GatheredVersions {
  /** Highest SemVer first. */
  readonly versions: VersionView[];
  readonly warnings: string[];
}

/**
 * Every version of a plugin: the published ones, then — for versions not published — the
 * manifest's own `version` (registered metadata, no artifact) and, when `images` is given, the
 * SemVer tags of its OCI image (seeds 000, 002). An image registry that cannot be read leaves its
 * tags out with a warning; it never fails the read.
 */
export async function gatherVersions(
  record: PluginFields,
  published: readonly VersionView[],
  images: PluginImageVersions | undefined,
): Promise<GatheredVersions> {
  const byVersion = new Map<string, VersionView>();
  for (const view of published) byVersion.set(view.version, view);
  const warnings: string[] = [];
  const declared = record.manifest['version'];
  if (isValidVersion(declared) && !byVersion.has(declared)) {
    byVersion.set(declared, metadataVersionView(declared, record.updatedAt));
  }
  if (record.image !== undefined && images !== undefined) {
    try {
      for (const tag of await images.versions(record.image)) {
        // The lookup promises SemVer; anything else would break resolution, so it is dropped.
        if (isValidVersion(tag) && !byVersion.has(tag))
          byVersion.set(tag, metadataVersionView(tag));
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      warnings.push(`versions of image "${record.image.image}" could not be read: ${reason}`);
    }
  }
  return { versions: sortNewestFirst([...byVersion.values()]), warnings };
}
