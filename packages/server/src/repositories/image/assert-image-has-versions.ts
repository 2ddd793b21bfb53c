import { PlugboardError } from '@plugboard/core';
import type { ImageVersionReader } from './image-version-reader.js';
import type { OciRegistry } from './oci-registry.js';
import type { ImageVersion } from './semver-tags.js';

/**
 * Refuses to register an image plugin whose image has no SemVer tag (seed 000: "registration will
 * fail if no tags are found"). Call it BEFORE storing anything, so a refusal leaves nothing behind.
 * Throws `VERSION_NOT_FOUND` (HTTP 404) naming the image and registry; registry failures pass
 * through as `UNAVAILABLE`/`TIMEOUT`. Returns the versions, highest first.
 */
export async function assertImageHasVersions(
  reader: ImageVersionReader,
  image: string,
  registry?: OciRegistry,
): Promise<readonly ImageVersion[]> {
  // Fresh read: a tag pushed a moment ago must count.
  reader.invalidate(image, registry);
  const versions = await reader.versions(image, registry);
  if (versions.length === 0) {
    throw new PlugboardError(
      'VERSION_NOT_FOUND',
      `image "${image}" has no SemVer tag (e.g. 1.2.0 or v1.2.0)${
        registry === undefined ? '' : ` in registry ${registry.url}`
      }; push a tagged image before registering it`,
      { details: { image, ...(registry === undefined ? {} : { registry: registry.url }) } },
    );
  }
  return versions;
}
