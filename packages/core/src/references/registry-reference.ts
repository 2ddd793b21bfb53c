import { shorten } from '../versions/version.js';
import { PLUGIN_NAME_PATTERN } from '../manifest/manifest-schema.js';
import { parseVersionSpec } from '../versions/version-spec.js';
import { isPlugboardError } from '../errors/plugboard-error.js';
import { referenceError, type RegistryReference } from './plugin-reference.js';

/** A registry's name in `community:kubecost`: a lower-case word, at most 63 characters. */
export const REGISTRY_NAME_PATTERN = '^[a-z][a-z0-9-]{0,62}$';

const REGISTRY_NAME_REGEXP = new RegExp(REGISTRY_NAME_PATTERN);
const PLUGIN_NAME_REGEXP = new RegExp(PLUGIN_NAME_PATTERN);

/** Names that would read as a URL with its `//` missing, so they are not registry names. */
const RESERVED_REGISTRY_NAMES = new Set(['http', 'https', 'file', 'oci', 'github', 's3', 'gs']);

const EXPECTED =
  '[registry:]name[@version|range|channel], e.g. kubecost, kubecost@^1.2, community:kubecost@beta';

/**
 * Parses `[registry:]name[@spec]`. The optional `registry:` prefix names one configured registry
 * (seed 003's `discovery.registries[].name`) instead of searching all of them by priority.
 */
export function parseRegistryReference(text: string): RegistryReference {
  const fail = (problem: string, cause?: unknown) =>
    referenceError(text, problem, EXPECTED, { kind: 'registry', cause });
  const colon = text.indexOf(':');
  const at = text.indexOf('@');
  let registry: string | undefined;
  let rest = text;
  if (colon >= 0 && (at < 0 || colon < at)) {
    registry = text.slice(0, colon);
    rest = text.slice(colon + 1);
    if (RESERVED_REGISTRY_NAMES.has(registry.toLowerCase())) {
      throw fail(`"${shorten(registry)}:" looks like a URL without "//"`);
    }
    if (!REGISTRY_NAME_REGEXP.test(registry)) {
      throw fail(`registry name "${shorten(registry)}" is not a lower-case word ([a-z][a-z0-9-]*)`);
    }
  }
  const separator = rest.indexOf('@');
  const name = separator < 0 ? rest : rest.slice(0, separator);
  const spec = separator < 0 ? undefined : rest.slice(separator + 1);
  if (name === '') throw fail('the plugin name is missing');
  if (!PLUGIN_NAME_REGEXP.test(name)) {
    const hint = name !== name.toLowerCase() ? ' (plugin names are lower-case)' : '';
    throw fail(
      `"${shorten(name)}" is not a plugin name: lower-case letters, digits, ".", "_" and "-", starting and ending with a letter or digit${hint}`,
    );
  }
  if (spec !== undefined) {
    if (spec === '') throw fail('nothing follows "@"');
    try {
      parseVersionSpec(spec);
    } catch (error) {
      if (!isPlugboardError(error)) throw error;
      throw fail(error.message, error);
    }
  }
  return {
    kind: 'registry',
    ...(registry === undefined ? {} : { registry }),
    name,
    ...(spec === undefined ? {} : { spec }),
  };
}

/** Writes `[registry:]name[@spec]`. */
export function formatRegistryReference(ref: RegistryReference): string {
  return `${ref.registry === undefined ? '' : `${ref.registry}:`}${ref.name}${ref.spec === undefined ? '' : `@${ref.spec}`}`;
}
