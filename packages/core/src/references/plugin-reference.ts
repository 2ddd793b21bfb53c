import { PlugboardError } from '../errors/plugboard-error.js';
import { shorten } from '../versions/version.js';

/**
 * Where a plugin comes from, as parsed from a reference string (`kubecost@^1.2`,
 * `oci://ghcr.io/acme/kubecost:1.2.3`, …). `formatPluginReference` turns it back into text.
 */
export type PluginReference =
  | RegistryReference
  | HttpsReference
  | FileReference
  | OciReference
  | GithubReference
  | S3Reference
  | GsReference;

/** Every kind of plugin reference. */
export type PluginReferenceKind = PluginReference['kind'];

/** The kinds, in the order the parser tries them after the URL schemes. */
export const PLUGIN_REFERENCE_KINDS: readonly PluginReferenceKind[] = [
  'registry',
  'https',
  'file',
  'oci',
  'github',
  's3',
  'gs',
];

/** A plugin in a registry: `name`, `name@1.2.3`, `name@^1.2`, `name@beta`, `community:name@1`. */
export interface RegistryReference {
  readonly kind: 'registry';
  /** A configured registry's name (`community:`), or undefined for "every registry by priority". */
  readonly registry?: string | undefined;
  readonly name: string;
  /** A version spec (see `parseVersionSpec`); undefined means `latest`. */
  readonly spec?: string | undefined;
}

/**
 * A package or manifest at a URL. `https://` anywhere; `http://` only on the loopback host
 * (`localhost`, `127.0.0.1`, `[::1]`), where nobody can tamper with it in transit.
 */
export interface HttpsReference {
  readonly kind: 'https';
  readonly url: string;
}

/** A local file or folder: `file:///abs/path` (form `url`) or `./x`, `../x`, `/x` (form `path`). */
export interface FileReference {
  readonly kind: 'file';
  /** Percent-decoded for the `url` form; as written for the `path` form (relative to the cwd). */
  readonly path: string;
  readonly form: 'url' | 'path';
}

/** An OCI artifact: `oci://host[:port]/repo/path[:tag][@sha256:<hex>]`. */
export interface OciReference {
  readonly kind: 'oci';
  /** `host` or `host:port`. */
  readonly registry: string;
  readonly repository: string;
  /** `latest` when neither a tag nor a digest is given. */
  readonly tag?: string | undefined;
  /** `sha256:<64 hex>` or `sha512:<128 hex>`; wins over the tag when both are given. */
  readonly digest?: string | undefined;
}

/** A GitHub release: `github://owner/repo@tag`; no tag means the latest release. */
export interface GithubReference {
  readonly kind: 'github';
  readonly owner: string;
  readonly repo: string;
  readonly tag?: string | undefined;
}

/** An object in Amazon S3: `s3://bucket/key`. */
export interface S3Reference {
  readonly kind: 's3';
  readonly bucket: string;
  readonly key: string;
}

/** An object in Google Cloud Storage: `gs://bucket/key`. */
export interface GsReference {
  readonly kind: 'gs';
  readonly bucket: string;
  readonly key: string;
}

/** Longest reference accepted, in characters. */
export const MAX_REFERENCE_LENGTH = 4096;

/** Builds the `REFERENCE_INVALID` error: what is wrong, then what was expected. */
export function referenceError(
  reference: string,
  problem: string,
  expected: string,
  options: { kind?: PluginReferenceKind; cause?: unknown } = {},
): PlugboardError {
  return new PlugboardError(
    'REFERENCE_INVALID',
    `plugin reference ${JSON.stringify(shorten(reference))}: ${problem}; expected ${expected}`,
    {
      cause: options.cause,
      details: {
        reference: shorten(reference, 200),
        ...(options.kind === undefined ? {} : { kind: options.kind }),
      },
    },
  );
}

/** Number of UTF-8 bytes `text` takes; storage services limit keys in bytes, not characters. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** True when `text` holds an ASCII control character (or DEL). */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** True when `text` is not well-formed UTF-16 (a lone surrogate cannot be encoded as UTF-8). */
export function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
