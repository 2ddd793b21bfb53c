import { formatBucketReference } from './bucket-reference.js';
import { formatGithubReference } from './github-reference.js';
import { DEFAULT_OCI_TAG, formatOciReference } from './oci-reference.js';
import { parsePluginReference } from './parse-plugin-reference.js';
import { referenceError, type PluginReference } from './plugin-reference.js';
import { formatRegistryReference } from './registry-reference.js';
import { formatFileReference } from './url-reference.js';

/** The fields that make up each kind; anything else on an object is ignored. */
const FIELDS: Readonly<Record<PluginReference['kind'], readonly string[]>> = {
  registry: ['registry', 'name', 'spec'],
  https: ['url'],
  file: ['path', 'form'],
  oci: ['registry', 'repository', 'tag', 'digest'],
  github: ['owner', 'repo', 'tag'],
  s3: ['bucket', 'key'],
  gs: ['bucket', 'key'],
};

/**
 * Writes a reference back as text; the inverse of `parsePluginReference`:
 * `parsePluginReference(formatPluginReference(ref))` equals `ref` for every parsed `ref` (an OCI
 * reference with neither tag nor digest reads back with tag `latest`). The text is checked by
 * parsing it again, so a hand-built reference that would not read back the same (a registry
 * name holding "@", a relative path without "./") throws `REFERENCE_INVALID`.
 *
 * @example
 * formatPluginReference({kind: 'github', owner: 'acme', repo: 'kubecost', tag: 'v1.2.3'})
 * // 'github://acme/kubecost@v1.2.3'
 */
export function formatPluginReference(ref: PluginReference): string {
  let text: string;
  try {
    text = write(ref);
  } catch (error) {
    // encodeURIComponent throws URIError on a lone surrogate in a file path.
    throw referenceError(describe(ref), 'cannot be written as text', 'a parsed reference', {
      cause: error,
    });
  }
  const reread = parsePluginReference(text);
  if (fields(reread) !== fields(withDefaults(ref))) {
    throw referenceError(
      text,
      `does not read back as the ${ref.kind} reference it was written from`,
      `fields that ${ref.kind} references accept`,
      { kind: ref.kind },
    );
  }
  return text;
}

function write(ref: PluginReference): string {
  switch (ref.kind) {
    case 'registry':
      return formatRegistryReference(ref);
    case 'https':
      return ref.url;
    case 'file':
      return formatFileReference(ref);
    case 'oci':
      return formatOciReference(ref);
    case 'github':
      return formatGithubReference(ref);
    case 's3':
    case 'gs':
      return formatBucketReference(ref);
  }
}

function withDefaults(ref: PluginReference): PluginReference {
  if (ref.kind === 'oci' && ref.tag === undefined && ref.digest === undefined) {
    return { ...ref, tag: DEFAULT_OCI_TAG };
  }
  return ref;
}

/** A comparable text of the fields that matter for the reference's kind. */
function fields(ref: PluginReference): string {
  const names = Object.hasOwn(FIELDS, ref.kind) ? (FIELDS[ref.kind] ?? []) : [];
  const record = ref as unknown as Record<string, unknown>;
  return JSON.stringify([ref.kind, ...names.map((name) => record[name] ?? null)]);
}

function describe(ref: PluginReference): string {
  try {
    return JSON.stringify(ref);
  } catch {
    return ref.kind;
  }
}
