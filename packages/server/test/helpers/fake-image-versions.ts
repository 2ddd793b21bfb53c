import { PlugboardError } from '@plugboard/core';
import type { PluginImage } from '@plugboard/store';
import { semverTagVersions } from '../../src/repositories/image/index.js';
import type { PluginImageVersions } from '../../src/repositories/local/plugin-image-versions.js';

/**
 * Image versions from a table (image name → tags) instead of an OCI registry. An image named
 * `unreachable/…` fails as a registry that is down would. Records every image asked about.
 */
export function fakeImageVersions(
  tags: Readonly<Record<string, readonly string[]>>,
): PluginImageVersions & { readonly asked: string[] } {
  const asked: string[] = [];
  const read = async (image: PluginImage): Promise<readonly string[]> => {
    asked.push(image.image);
    if (image.image.startsWith('unreachable/')) {
      throw new PlugboardError('UNAVAILABLE', `registry of ${image.image} is not reachable`);
    }
    // SemVer tags only, `v` dropped, highest first: what the real reader answers.
    return semverTagVersions(tags[image.image] ?? []).map((entry) => entry.version);
  };
  return {
    asked,
    versions: read,
    async requireVersions(image) {
      const versions = await read(image);
      if (versions.length === 0) {
        throw new PlugboardError('VERSION_NOT_FOUND', `image "${image.image}" has no SemVer tag`);
      }
      return versions;
    },
  };
}
