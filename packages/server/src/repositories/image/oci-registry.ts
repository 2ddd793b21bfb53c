import { PlugboardError } from '@plugboard/core';

/** Docker Hub's distribution API endpoint (`DOCKER_HUB` in seed 000). */
export const DOCKER_HUB_URL = 'https://registry-1.docker.io';

/** Credentials for an OCI registry: HTTP Basic, or a ready bearer token. */
export type OciCredentials =
  { readonly username: string; readonly password: string } | { readonly token: string };

/** One OCI registry speaking the distribution API. */
export interface OciRegistry {
  /** Base URL without `/v2`, e.g. `https://ghcr.io` or `http://127.0.0.1:5000`. */
  readonly url: string;
  readonly credentials?: OciCredentials | undefined;
}

/** Where an image's tags live: the registry's origin and the repository name within it. */
export interface ImageLocation {
  /** `scheme://host[:port]` with no trailing slash. */
  readonly origin: string;
  /** e.g. `cloudforet/plugin-aws-ec2-inven-collector` or `library/alpine`. */
  readonly repository: string;
}

// OCI distribution spec `<name>` grammar.
const REPOSITORY_REGEXP =
  /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;

/**
 * Finds the registry and repository of `image` (`[host[:port]/]path[:tag][@digest]`). A given
 * `registry` wins over a host in the image; without either it is Docker Hub, where a single-part
 * name means `library/<name>`. A tag or digest in the image is ignored: every tag is listed.
 */
export function locateImage(image: string, registry?: OciRegistry): ImageLocation {
  let name = image.trim();
  const at = name.indexOf('@');
  if (at >= 0) name = name.slice(0, at);
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) name = name.slice(0, colon);
  const [first = '', ...rest] = name.split('/');
  const firstIsHost =
    rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let origin: string;
  if (registry !== undefined) {
    origin = registryOrigin(registry.url);
    // `host/repo` with the registry's own host: the host is not part of the repository.
    if (firstIsHost && new URL(origin).host === first) name = rest.join('/');
  } else if (firstIsHost) {
    origin = `https://${first}`;
    name = rest.join('/');
  } else {
    origin = DOCKER_HUB_URL;
    if (rest.length === 0) name = `library/${name}`;
  }
  if (!REPOSITORY_REGEXP.test(name)) {
    throw new PlugboardError(
      'INVALID_ARGUMENT',
      `image "${image}" does not name an OCI repository (lower-case path parts of letters and digits joined by ".", "_", "__" or "-")`,
      { details: { image } },
    );
  }
  return { origin, repository: name };
}

function registryOrigin(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new PlugboardError('INVALID_ARGUMENT', `registry URL "${url}" is not a URL`, { cause });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new PlugboardError('INVALID_ARGUMENT', `registry URL "${url}" must be http(s)`);
  }
  return parsed.origin;
}
