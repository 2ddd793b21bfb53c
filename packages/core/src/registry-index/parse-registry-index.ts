import { shorten } from '../versions/version.js';
import semver from 'semver';
import { parseDocument } from '../document/parse-document.js';
import { problemsError, type Problem } from '../errors/plugboard-error.js';
import { compileSchema, joinPath, type SchemaCheck } from '../schema/json-schema-validator.js';
import {
  REGISTRY_INDEX_FORMAT_VERSION,
  RegistryIndexSchema,
  type RegistryIndex,
} from './registry-index-schema.js';

let checkIndexSchema: SchemaCheck | undefined;

/**
 * Lists every problem of a registry index, each with its dot-path; empty when valid. Beyond the
 * schema: the format major must be the one this code reads, plugin names and versions must be
 * unique (versions by SemVer precedence, so `1.0.0+a` and `1.0.0+b` clash), and `latest_version`
 * and every dist-tag must name a listed version.
 */
export function listRegistryIndexProblems(value: unknown): Problem[] {
  checkIndexSchema ??= compileSchema(RegistryIndexSchema);
  return [...checkIndexSchema(value), ...consistencyProblems(value)];
}

/**
 * Checks a registry index and returns it typed. A string is read as JSON (or YAML) text first.
 * Throws `PARSE_ERROR` for unreadable text and `REGISTRY_INDEX_INVALID` listing every problem
 * with its path.
 *
 * @example
 * const index = parseRegistryIndex(await response.json());
 */
export function parseRegistryIndex(value: unknown, subject = 'registry index'): RegistryIndex {
  const document = typeof value === 'string' ? parseDocument(value, { name: subject }) : value;
  const problems = listRegistryIndexProblems(document);
  if (problems.length > 0) {
    throw problemsError('REGISTRY_INDEX_INVALID', `${subject} is invalid`, problems);
  }
  return document as RegistryIndex;
}

/** The checks a JSON Schema cannot express. Defensive: runs on unvalidated input. */
function consistencyProblems(value: unknown): Problem[] {
  const problems: Problem[] = [];
  if (!isRecord(value)) return problems;
  const format = value['registry_version'];
  const major = typeof format === 'string' ? semver.parse(format)?.major : undefined;
  const known = semver.major(REGISTRY_INDEX_FORMAT_VERSION);
  if (major !== undefined && major !== known) {
    problems.push({
      path: 'registry_version',
      message: `format ${format as string} is not supported; this reader knows ${known}.x`,
    });
  }
  const plugins = value['plugins'];
  if (!Array.isArray(plugins)) return problems;
  const firstIndexOfName = new Map<string, number>();
  plugins.forEach((plugin: unknown, index) => {
    if (!isRecord(plugin)) return;
    const base = joinPath('plugins', index);
    const name = plugin['name'];
    if (typeof name === 'string') {
      const first = firstIndexOfName.get(name);
      if (first === undefined) firstIndexOfName.set(name, index);
      else {
        problems.push({
          path: joinPath(base, 'name'),
          message: `duplicates plugins[${first}].name ("${shorten(name)}")`,
        });
      }
    }
    problems.push(...pluginVersionProblems(plugin, base));
  });
  return problems;
}

function pluginVersionProblems(plugin: Record<string, unknown>, base: string): Problem[] {
  const problems: Problem[] = [];
  const listed: string[] = [];
  // Keyed by precedence (build metadata dropped), so the check stays linear in the versions.
  const firstIndexOfPrecedence = new Map<string, number>();
  const versions = plugin['versions'];
  if (Array.isArray(versions)) {
    versions.forEach((entry: unknown, index) => {
      const version = isRecord(entry) ? entry['version'] : undefined;
      const parsed = typeof version === 'string' ? semver.parse(version) : null;
      if (typeof version !== 'string' || parsed === null) return;
      const clash = firstIndexOfPrecedence.get(parsed.version);
      if (clash === undefined) firstIndexOfPrecedence.set(parsed.version, index);
      else {
        problems.push({
          path: joinPath(joinPath(joinPath(base, 'versions'), index), 'version'),
          message: `duplicates versions[${clash}].version`,
        });
      }
      listed.push(version);
    });
  }
  const mustBeListed = (path: string, version: unknown): void => {
    if (typeof version !== 'string') return;
    if (!listed.includes(version)) {
      problems.push({ path, message: `${version} is not one of the listed versions` });
    }
  };
  mustBeListed(joinPath(base, 'latest_version'), plugin['latest_version']);
  const distTags = plugin['dist_tags'];
  if (isRecord(distTags)) {
    for (const [tag, version] of Object.entries(distTags)) {
      mustBeListed(joinPath(joinPath(base, 'dist_tags'), tag), version);
    }
  }
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
