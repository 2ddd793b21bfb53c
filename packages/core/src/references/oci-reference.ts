import { shorten } from '../versions/version.js';
import { referenceError, type OciReference } from './plugin-reference.js';
import { hostProblem } from './url-reference.js';

const EXPECTED = 'oci://host[:port]/repository[:tag][@sha256:<64 hex digits>]';

/** The tag used when a reference names neither a tag nor a digest. */
export const DEFAULT_OCI_TAG = 'latest';

/** Longest `host/repository` many registries accept (OCI distribution spec, "pulling"). */
export const MAX_OCI_NAME_LENGTH = 255;

// Grammar from the OCI distribution spec (`<name>`, `<reference>` as tag) and image-spec digests.
const REPOSITORY_REGEXP =
  /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG_REGEXP = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
/** Registered digest algorithms and the length of their lower-case hex encoding. */
const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha512: 128 };

/**
 * Parses `oci://host[:port]/repo/path[:tag][@digest]`. Tag and digest may both be given (the
 * digest is what is pulled; the tag documents it). With neither, the tag is `latest`. Digests
 * are `sha256:` + 64 or `sha512:` + 128 lower-case hex digits.
 */
export function parseOciReference(text: string): OciReference {
  const fail = (problem: string) => referenceError(text, problem, EXPECTED, { kind: 'oci' });
  const rest = text.slice('oci://'.length);
  const slash = rest.indexOf('/');
  if (slash < 0) throw fail('the repository is missing after the host');
  const registry = rest.slice(0, slash);
  const problem = hostProblem(registry);
  if (problem !== undefined) throw fail(problem);

  let name = rest.slice(slash + 1);
  let digest: string | undefined;
  const at = name.indexOf('@');
  if (at >= 0) {
    digest = name.slice(at + 1);
    name = name.slice(0, at);
    const digestProblem = ociDigestProblem(digest);
    if (digestProblem !== undefined) throw fail(digestProblem);
  }
  let tag: string | undefined;
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
    if (!TAG_REGEXP.test(tag)) {
      throw fail(
        `tag "${shorten(tag)}" is not 1 to 128 letters, digits, "_", "." or "-" (not starting with "." or "-")`,
      );
    }
  }
  if (name === '') throw fail('the repository is missing after the host');
  if (!REPOSITORY_REGEXP.test(name)) {
    throw fail(
      `repository "${shorten(name)}" is not lower-case path components of letters and digits joined by ".", "_", "__" or "-"`,
    );
  }
  if (registry.length + 1 + name.length > MAX_OCI_NAME_LENGTH) {
    throw fail(`host and repository together are longer than ${MAX_OCI_NAME_LENGTH} characters`);
  }
  if (tag === undefined && digest === undefined) tag = DEFAULT_OCI_TAG;
  return {
    kind: 'oci',
    registry,
    repository: name,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/** Writes `oci://registry/repository[:tag][@digest]`. */
export function formatOciReference(ref: OciReference): string {
  const tag = ref.tag === undefined ? '' : `:${ref.tag}`;
  const digest = ref.digest === undefined ? '' : `@${ref.digest}`;
  return `oci://${ref.registry}/${ref.repository}${tag}${digest}`;
}

/** Why `digest` is not `sha256:<64 hex>` / `sha512:<128 hex>`, or undefined when it is. */
export function ociDigestProblem(digest: string): string | undefined {
  const colon = digest.indexOf(':');
  const algorithm = colon < 0 ? digest : digest.slice(0, colon);
  const length = Object.hasOwn(DIGEST_HEX_LENGTH, algorithm)
    ? DIGEST_HEX_LENGTH[algorithm]
    : undefined;
  if (colon < 0 || length === undefined) {
    return `digest "${shorten(digest)}" is not sha256:<hex> or sha512:<hex>`;
  }
  const hex = digest.slice(colon + 1);
  if (hex.length !== length || !/^[0-9a-f]+$/.test(hex)) {
    return `a ${algorithm} digest is ${length} lower-case hex digits`;
  }
  return undefined;
}
