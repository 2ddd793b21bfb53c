import { createHash } from 'node:crypto';
import { locateImage, type OciRegistry } from './oci-registry.js';
import { OciTagsClient, type OciTagsClientOptions } from './oci-tags-client.js';
import { semverTagVersions, type ImageVersion } from './semver-tags.js';

/** How long an image's versions are reused before the registry is asked again. */
export const DEFAULT_IMAGE_VERSIONS_TTL_MS = 60_000;
/** Images whose versions are cached at most; the oldest entry goes first. */
export const MAX_CACHED_IMAGES = 1000;

/** Options of `ImageVersionReader`. */
export interface ImageVersionReaderOptions extends OciTagsClientOptions {
  readonly ttlMs?: number;
  readonly maxCachedImages?: number;
}

interface CacheEntry {
  readonly expiresAt: number;
  readonly versions: Promise<readonly ImageVersion[]>;
}

/**
 * The versions of image plugins (seeds 000, 002): an image's SemVer tags (a leading `v` allowed),
 * highest first, read from its OCI registry and kept for a short TTL. Concurrent callers for the
 * same image share one registry round; failures are not cached.
 *
 * @example
 * const reader = new ImageVersionReader();
 * const versions = await reader.versions('cloudforet/plugin-aws-ec2-inven-collector');
 * // [{ version: '1.14.2', tag: '1.14.2' }, …]
 */
export class ImageVersionReader {
  private readonly client: OciTagsClient;
  private readonly ttlMs: number;
  private readonly maxCachedImages: number;
  private readonly now: () => number;
  private readonly cache = new Map<string, CacheEntry>();

  constructor(options: ImageVersionReaderOptions = {}) {
    this.client = new OciTagsClient(options);
    this.ttlMs = options.ttlMs ?? DEFAULT_IMAGE_VERSIONS_TTL_MS;
    this.maxCachedImages = options.maxCachedImages ?? MAX_CACHED_IMAGES;
    this.now = options.now ?? Date.now;
  }

  /**
   * The image's SemVer versions, highest first; empty when the image has none or the registry does
   * not know it. `registry` defaults to the host named in the image, else Docker Hub. Fails with
   * `INVALID_ARGUMENT` (not an image name), `UNAVAILABLE` or `TIMEOUT`.
   */
  async versions(image: string, registry?: OciRegistry): Promise<readonly ImageVersion[]> {
    const location = locateImage(image, registry);
    const key = cacheKey(location.origin, location.repository, registry);
    const now = this.now();
    const cached = this.cache.get(key);
    if (cached !== undefined && cached.expiresAt > now) return cached.versions;
    const versions = this.client
      .listTags(location, registry?.credentials)
      .then((tags) => semverTagVersions(tags));
    this.remember(key, { expiresAt: now + this.ttlMs, versions });
    versions.catch(() => {
      if (this.cache.get(key)?.versions === versions) this.cache.delete(key);
    });
    return versions;
  }

  /** Forgets cached versions: of one image, or of every image. */
  invalidate(image?: string, registry?: OciRegistry): void {
    if (image === undefined) {
      this.cache.clear();
      return;
    }
    const location = locateImage(image, registry);
    this.cache.delete(cacheKey(location.origin, location.repository, registry));
  }

  private remember(key: string, entry: CacheEntry): void {
    this.cache.delete(key);
    this.cache.set(key, entry);
    while (this.cache.size > this.maxCachedImages) {
      const oldest = this.cache.keys().next();
      if (oldest.done === true) break;
      this.cache.delete(oldest.value);
    }
  }
}

function cacheKey(origin: string, repository: string, registry?: OciRegistry): string {
  // Different credentials may see different tags (or none), so they are part of the key.
  const who =
    registry?.credentials === undefined
      ? ''
      : createHash('sha256').update(JSON.stringify(registry.credentials)).digest('hex');
  return `${origin}/${repository} ${who}`;
}
