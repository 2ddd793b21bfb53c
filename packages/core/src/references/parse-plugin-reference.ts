import { shorten } from '../versions/version.js';
import { parseGsReference, parseS3Reference } from './bucket-reference.js';
import { parseGithubReference } from './github-reference.js';
import { parseOciReference } from './oci-reference.js';
import {
  hasLoneSurrogate,
  MAX_REFERENCE_LENGTH,
  referenceError,
  type PluginReference,
} from './plugin-reference.js';
import { parseRegistryReference } from './registry-reference.js';
import { parseFileReference, parseHttpsReference } from './url-reference.js';

const EXPECTED_ANY =
  'name[@version|range|channel], registry:name[@…], https://…, file:///path, ./path, oci://host/repo[:tag][@sha256:…], github://owner/repo[@tag], s3://bucket/key or gs://bucket/key';

const SCHEME_REGEXP = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

const PARSERS_BY_SCHEME: Readonly<Record<string, (text: string) => PluginReference>> = {
  https: parseHttpsReference,
  http: parseHttpsReference,
  file: parseFileReference,
  oci: parseOciReference,
  github: parseGithubReference,
  s3: parseS3Reference,
  gs: parseGsReference,
};

/**
 * Parses where a plugin comes from. A `scheme://` prefix picks the kind (`https`, `http` on the
 * loopback host only, `file`, `oci`, `github`, `s3`, `gs`); a text starting with `./`, `../` or
 * `/` is a file path; anything else is a registry reference `[registry:]name[@spec]`. Nothing
 * is trimmed: surrounding spaces are an error. Throws `REFERENCE_INVALID` saying what is wrong
 * and what was expected.
 *
 * @example
 * parsePluginReference('kubecost@^1.2') // {kind: 'registry', name: 'kubecost', spec: '^1.2'}
 * parsePluginReference('oci://ghcr.io/acme/kubecost') // {kind: 'oci', …, tag: 'latest'}
 */
export function parsePluginReference(text: string): PluginReference {
  if (typeof text !== 'string') {
    throw referenceError(String(text), 'is not a string', EXPECTED_ANY);
  }
  if (text === '') throw referenceError(text, 'is empty', EXPECTED_ANY);
  if (text.length > MAX_REFERENCE_LENGTH) {
    throw referenceError(text, `is longer than ${MAX_REFERENCE_LENGTH} characters`, EXPECTED_ANY);
  }
  if (text.trim() !== text) {
    throw referenceError(text, 'has leading or trailing spaces', EXPECTED_ANY);
  }
  if (hasLoneSurrogate(text)) {
    throw referenceError(text, 'is not well-formed Unicode (a lone surrogate)', EXPECTED_ANY);
  }
  const scheme = SCHEME_REGEXP.exec(text)?.[1];
  if (scheme !== undefined) {
    const parse = Object.hasOwn(PARSERS_BY_SCHEME, scheme) ? PARSERS_BY_SCHEME[scheme] : undefined;
    if (parse !== undefined) return parse(text);
    const lower = scheme.toLowerCase();
    const problem = Object.hasOwn(PARSERS_BY_SCHEME, lower)
      ? `write the scheme in lower case ("${shorten(lower)}://")`
      : `"${shorten(scheme)}://" is not a supported scheme`;
    throw referenceError(text, problem, EXPECTED_ANY);
  }
  if (text.startsWith('file:')) return parseFileReference(text);
  if (text.startsWith('./') || text.startsWith('../') || text.startsWith('/')) {
    return parseFileReference(text);
  }
  return parseRegistryReference(text);
}

/** True when `text` parses as a plugin reference. */
export function isValidPluginReference(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  try {
    parsePluginReference(text);
    return true;
  } catch {
    return false;
  }
}
