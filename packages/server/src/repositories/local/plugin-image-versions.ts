import type { PluginImage } from '@plugboard/store';
import {
  assertImageHasVersions,
  type ImageVersionReader,
  type OciRegistry,
} from '../image/index.js';

/**
 * The versions of image plugins (seeds 000, 002) as the repositories need them: the image's SemVer
 * tags, highest first. Injected, so tests can answer without an OCI registry.
 */
export interface PluginImageVersions {
  /** The image's versions, highest first (cached); fails with `UNAVAILABLE`/`TIMEOUT`. */
  versions(image: PluginImage): Promise<readonly string[]>;
  /**
   * A fresh read that refuses an image without versions (`VERSION_NOT_FOUND`): called before a
   * registration stores anything, so a refusal leaves nothing behind.
   */
  requireVersions(image: PluginImage): Promise<readonly string[]>;
}

/** Registry types that mean "the image name says where it is, else Docker Hub". */
const DEFAULT_REGISTRY_TYPES = new Set(['', 'DOCKER_HUB', 'DOCKERHUB', 'DOCKER']);

/**
 * Where an image plugin's tags are listed: an http(s) URL or host in `registry_type` (or
 * `registry_config.url`); Docker Hub (or the host in the image name) for `DOCKER_HUB` and for
 * registry kinds that carry no address. Credentials are never taken from plugin metadata.
 */
export function ociRegistryOf(image: PluginImage): OciRegistry | undefined {
  const configured = image.registryConfig?.['url'];
  if (typeof configured === 'string' && /^https?:\/\//.test(configured)) return { url: configured };
  const type = (image.registryType ?? '').trim();
  if (/^https?:\/\//.test(type)) return { url: type };
  if (DEFAULT_REGISTRY_TYPES.has(type.toUpperCase())) return undefined;
  // A bare host such as `registry.example.com` or `127.0.0.1:5000`.
  if (/^[a-z0-9.-]+(:\d+)?$/i.test(type) && (type.includes('.') || type.includes(':'))) {
    return { url: `https://${type}` };
  }
  return undefined;
}

/** Adapts the image engineer's cached `ImageVersionReader` to what the repositories need. */
export function pluginImageVersionsFrom(reader: ImageVersionReader): PluginImageVersions {
  return {
    async versions(image) {
      const found = await reader.versions(image.image, ociRegistryOf(image));
      return found.map((entry) => entry.version);
    },
    async requireVersions(image) {
      const found = await assertImageHasVersions(reader, image.image, ociRegistryOf(image));
      return found.map((entry) => entry.version);
    },
  };
}
