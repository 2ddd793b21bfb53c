import { shorten } from '../versions/version.js';
import { problemsError, type Problem } from '../errors/plugboard-error.js';
import { compileSchema, joinPath, type SchemaCheck } from '../schema/json-schema-validator.js';
import { parseDocument } from '../document/parse-document.js';
import { PULUMICOST_REGISTRY_SCHEMA } from './pulumicost-registry-schema.js';
import {
  REGISTRY_INDEX_FORMAT_VERSION,
  type RegistryIndex,
  type RegistryPlugin,
} from './registry-index-schema.js';

let checkPulumiCostSchema: SchemaCheck | undefined;

/** `metadata.source_format` of plugins converted from a PulumiCost index. */
export const PULUMICOST_SOURCE_FORMAT = 'pulumicost';

/**
 * Lists every problem of a PulumiCost registry index (`plugin_registry.schema.json`), each with
 * its dot-path (`plugins.kubecost.description`); also that each entry's `name` equals its key,
 * which the schema's text requires but cannot express.
 */
export function listPulumiCostIndexProblems(value: unknown): Problem[] {
  checkPulumiCostSchema ??= compileSchema(PULUMICOST_REGISTRY_SCHEMA);
  const problems = checkPulumiCostSchema(value);
  const plugins = isRecord(value) ? value['plugins'] : undefined;
  if (isRecord(plugins)) {
    for (const [key, entry] of Object.entries(plugins)) {
      const name = isRecord(entry) ? entry['name'] : undefined;
      if (typeof name === 'string' && name !== key) {
        problems.push({
          path: joinPath(joinPath('plugins', key), 'name'),
          message: `must equal its key "${shorten(key)}"`,
        });
      }
    }
  }
  return problems;
}

/**
 * Validates a PulumiCost registry index and converts it to Plugboard's `RegistryIndex`. A
 * PulumiCost index lists plugins, not versions: each becomes a plugin with `versions: []`, its
 * `description` kept, and every other field (repository, author, supported_providers,
 * min/max_spec_version, deprecated, deprecation_message, …) kept as it is in `metadata`, beside
 * `source_format: "pulumicost"`. `schema_version` is kept as `pulumicost_schema_version`;
 * `registry_version` is this code's format version. A string is read
 * as JSON (or YAML) text first. Throws `REGISTRY_INDEX_INVALID` listing every problem.
 */
export function parsePulumiCostIndex(
  value: unknown,
  subject = 'PulumiCost registry index',
): RegistryIndex {
  const document = typeof value === 'string' ? parseDocument(value, { name: subject }) : value;
  const problems = listPulumiCostIndexProblems(document);
  if (problems.length > 0) {
    throw problemsError('REGISTRY_INDEX_INVALID', `${subject} is invalid`, problems);
  }
  const source = document as PulumiCostIndex;
  const plugins = Object.values(source.plugins).map(
    ({ name, description, ...rest }): RegistryPlugin => ({
      name,
      description,
      versions: [],
      metadata: { source_format: PULUMICOST_SOURCE_FORMAT, ...rest },
    }),
  );
  // PulumiCost's schema_version versions PulumiCost's format, not ours: it is kept beside ours.
  const index = {
    registry_version: REGISTRY_INDEX_FORMAT_VERSION,
    pulumicost_schema_version: source.schema_version,
    plugins,
  };
  return index;
}

/** The shape the PulumiCost schema guarantees, as far as the conversion needs it. */
interface PulumiCostIndex {
  readonly schema_version: string;
  readonly plugins: Readonly<
    Record<
      string,
      { readonly name: string; readonly description: string } & Record<string, unknown>
    >
  >;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
