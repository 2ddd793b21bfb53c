import semver from 'semver';
import { parseRegistryIndex } from './parse-registry-index.js';
import type { RegistryIndex, RegistryPlugin, RegistryVersion } from './registry-index-schema.js';

/** Key order of each object; keys not listed follow, sorted. */
const INDEX_KEYS = ['registry_version', 'registry_metadata', 'plugins'];
const METADATA_KEYS = ['name', 'url', 'supported_api_versions'];
const PLUGIN_KEYS = ['name', 'description', 'latest_version', 'dist_tags', 'versions', 'metadata'];
const VERSION_KEYS = ['version', 'manifest_url', 'published', 'deprecated', 'yanked'];

/**
 * Writes a registry index as deterministic JSON text: plugins sorted by name, versions newest
 * first (SemVer precedence, build metadata breaking ties), known keys in a fixed order and other
 * keys sorted (recursively), two-space indent, trailing newline. The same index always gives the
 * same bytes, so indexes diff cleanly and can be content-addressed; reading the text back gives
 * an equal index. Throws `REGISTRY_INDEX_INVALID` for an invalid index: what is written is
 * always readable.
 */
export function writeRegistryIndex(index: RegistryIndex): string {
  return `${JSON.stringify(canonicalRegistryIndex(index), null, 2)}\n`;
}

/**
 * The index in the order `writeRegistryIndex` uses; a new object, the input is not touched.
 * Throws `REGISTRY_INDEX_INVALID` for an invalid index.
 */
export function canonicalRegistryIndex(index: RegistryIndex): RegistryIndex {
  parseRegistryIndex(index);
  const plugins = [...index.plugins]
    .sort((a, b) => compareText(a.name, b.name))
    .map(canonicalPlugin);
  const metadata =
    index.registry_metadata === undefined
      ? undefined
      : ordered(index.registry_metadata, METADATA_KEYS);
  return ordered({ ...index, registry_metadata: metadata, plugins }, INDEX_KEYS) as RegistryIndex;
}

function canonicalPlugin(plugin: RegistryPlugin): RegistryPlugin {
  const versions = [...plugin.versions]
    .sort((a, b) => semver.compareBuild(b.version, a.version))
    .map((version) => ordered(version, VERSION_KEYS) as RegistryVersion);
  return ordered({ ...plugin, versions }, PLUGIN_KEYS) as RegistryPlugin;
}

/** Copies `value` with `first` keys in that order, then the rest sorted; values sorted deeply. */
function ordered(value: Readonly<Record<string, unknown>>, first: readonly string[]): object {
  const keys = [
    ...first.filter((key) => Object.hasOwn(value, key)),
    ...Object.keys(value)
      .filter((key) => !first.includes(key))
      .sort(compareText),
  ];
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const item = value[key];
    if (item === undefined) continue;
    // Known arrays (plugins, versions) arrive already canonical; sorting their objects' keys
    // again would undo the fixed order, so only unknown values are sorted deeply.
    const known = first.includes(key) && key !== 'dist_tags' && key !== 'metadata';
    setOwn(out, key, known ? item : sortDeep(item));
  }
  return out;
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (typeof value !== 'object' || value === null) return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source).sort(compareText)) setOwn(out, key, sortDeep(source[key]));
  return out;
}

/** Plain assignment of `__proto__` would set the prototype; JSON data may hold such a key. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Code-unit order: the same everywhere, unlike `localeCompare`. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
