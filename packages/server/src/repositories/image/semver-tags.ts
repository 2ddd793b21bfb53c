import { compareVersions, isValidVersion } from '@plugboard/core';

/** An image tag read as a plugin version. */
export interface ImageVersion {
  /** Strict SemVer, without the `v` the tag may carry. */
  readonly version: string;
  /** The tag as it is in the registry (`v1.2.0` or `1.2.0`), for pulling. */
  readonly tag: string;
}

/**
 * Keeps the tags that are SemVer versions (a leading `v` allowed) and sorts them highest first,
 * like the store's `listVersions`. When `1.0.0` and `v1.0.0` both exist, the unprefixed tag wins.
 */
export function semverTagVersions(tags: Iterable<string>): ImageVersion[] {
  const byVersion = new Map<string, ImageVersion>();
  for (const tag of tags) {
    const version = tag.startsWith('v') ? tag.slice(1) : tag;
    if (!isValidVersion(version)) continue;
    const known = byVersion.get(version);
    if (known === undefined || known.tag.startsWith('v')) byVersion.set(version, { version, tag });
  }
  return [...byVersion.values()].sort((a, b) => compareVersions(b.version, a.version));
}
