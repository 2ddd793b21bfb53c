/** Image plugins (seeds 000, 002): versions from an OCI image's SemVer tags. */
export {
  ImageVersionReader,
  DEFAULT_IMAGE_VERSIONS_TTL_MS,
  MAX_CACHED_IMAGES,
} from './image-version-reader.js';
export type { ImageVersionReaderOptions } from './image-version-reader.js';
export { assertImageHasVersions } from './assert-image-has-versions.js';
export { locateImage, DOCKER_HUB_URL } from './oci-registry.js';
export type { OciRegistry, OciCredentials, ImageLocation } from './oci-registry.js';
export {
  OciTagsClient,
  DEFAULT_REGISTRY_TIMEOUT_MS,
  DEFAULT_TAGS_PAGE_SIZE,
} from './oci-tags-client.js';
export type { OciTagsClientOptions } from './oci-tags-client.js';
export { semverTagVersions } from './semver-tags.js';
export type { ImageVersion } from './semver-tags.js';
export { parseWwwAuthenticate } from './www-authenticate.js';
export type { AuthChallenge } from './www-authenticate.js';
