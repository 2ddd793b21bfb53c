import { joinPath } from '../schema/json-schema-validator.js';
import {
  describeValue,
  ImportContext,
  isFieldMap,
  ownField,
  setOwnField,
  type FieldMap,
} from './import-context.js';
import type { ImportedManifest, ManifestImporter } from './manifest-format.js';
import { readApiVersion, readPluginName, readVersion } from './native-field-checks.js';
import { importNestedPulumicostManifest } from './pulumicost-nested-importer.js';
import {
  convertConfiguration,
  convertRequirements,
  mergeAuthentication,
} from './pulumicost-sections.js';

/** Top-level fields of the flat PulumiCost manifest that the importer maps. */
const FLAT_FIELDS = new Set([
  'name',
  'display_name',
  'description',
  'version',
  'api_version',
  'plugin_type',
  'capabilities',
  'supported_providers',
  'requirements',
  'authentication',
  'installation',
  'configuration',
  'contacts',
  'metadata',
]);

/**
 * PulumiCost plugin manifests, both shapes: the nested manifest validated by the PulumiCost JSON
 * Schema (`metadata` + `specification` objects) and the flat "Core Manifest Structure" of the
 * registry spec (`plugin_type`, `supported_providers`, `installation`, …).
 */
export const pulumicostImporter: ManifestImporter = {
  format: 'pulumicost',
  detect(document) {
    return (
      isNestedPulumicost(document) ||
      Object.hasOwn(document, 'plugin_type') ||
      Object.hasOwn(document, 'supported_providers') ||
      Object.hasOwn(document, 'installation')
    );
  },
  import(document) {
    return isNestedPulumicost(document)
      ? importNestedPulumicostManifest(document)
      : importFlatPulumicostManifest(document);
  },
};

function isNestedPulumicost(document: FieldMap): boolean {
  return (
    isFieldMap(ownField(document, 'metadata')) && isFieldMap(ownField(document, 'specification'))
  );
}

/**
 * The flat form maps almost one to one: `plugin_type` → `type`, capability strings → `{type}`,
 * `supported_providers` → `providers`; `installation` (how to fetch the binary, not how to run
 * it) is kept in `metadata.installation`; `metadata` becomes native `metadata` and unknown fields
 * join it.
 */
function importFlatPulumicostManifest(document: FieldMap): ImportedManifest {
  const ctx = new ImportContext('pulumicost');
  const name = readPluginName(ctx, ownField(document, 'name'), 'name');
  const version = readVersion(ctx, ownField(document, 'version'), 'version');
  if (!Object.hasOwn(document, 'version')) {
    ctx.warn('no version: it is required before the plugin can be published');
  }
  const apiVersion = readApiVersion(ctx, ownField(document, 'api_version'), 'api_version');
  for (const key of ['display_name', 'description', 'authentication', 'contacts']) {
    ctx.origin(key, key);
  }
  const type = ctx.optionalString(ownField(document, 'plugin_type'), 'plugin_type');
  ctx.origin('type', 'plugin_type');
  const providers = ctx.optionalStringList(
    ownField(document, 'supported_providers'),
    'supported_providers',
  );
  ctx.origin('providers', 'supported_providers');
  const capabilities = convertCapabilities(ctx, ownField(document, 'capabilities'));
  const { requirements, authMethods } = convertRequirements(
    ctx,
    ownField(document, 'requirements'),
  );
  const authentication = ctx.optionalMap(ownField(document, 'authentication'), 'authentication');
  const configuration = convertConfiguration(ctx, ownField(document, 'configuration'));
  const contacts = ctx.optionalMap(ownField(document, 'contacts'), 'contacts');

  const metadata: FieldMap = {};
  const given = ctx.optionalMap(ownField(document, 'metadata'), 'metadata') ?? {};
  for (const [key, value] of Object.entries(given)) {
    setOwnField(metadata, key, value);
    ctx.origin(joinPath('metadata', key), joinPath('metadata', key));
  }
  const extra: FieldMap = ctx.unknownFields(document, FLAT_FIELDS);
  if (Object.hasOwn(document, 'installation')) {
    setOwnField(extra, 'installation', document['installation']);
  }
  if (configuration.original !== undefined) {
    setOwnField(extra, 'configuration', configuration.original);
  }
  for (const [key, value] of Object.entries(extra)) {
    if (Object.hasOwn(metadata, key)) {
      ctx.warn(`top-level field ${key} not kept: metadata.${key} is already set`);
      continue;
    }
    setOwnField(metadata, key, value);
    ctx.origin(joinPath('metadata', key), key);
  }

  return ctx.finish({
    name,
    display_name: ownField(document, 'display_name') ?? undefined,
    description: ownField(document, 'description') ?? undefined,
    version,
    api_version: apiVersion,
    type,
    capabilities,
    providers,
    requirements,
    authentication: mergeAuthentication(authentication, authMethods),
    configuration: configuration.schema,
    contacts,
    metadata: Object.keys(metadata).length > 0 ? metadata : undefined,
  });
}

/** Capability strings become `{type}`; capability objects are taken as native ones. */
function convertCapabilities(ctx: ImportContext, value: unknown): FieldMap[] | undefined {
  const list = ctx.optionalList(value, 'capabilities');
  if (list === undefined) return undefined;
  const capabilities: FieldMap[] = [];
  list.forEach((item, index) => {
    const path = joinPath('capabilities', index);
    ctx.origin(joinPath('capabilities', capabilities.length), path);
    if (typeof item === 'string') {
      if (item.trim() === '') ctx.problem(path, 'must not be empty');
      else capabilities.push({ type: item });
    } else if (isFieldMap(item)) {
      capabilities.push(item);
    } else {
      ctx.problem(path, `must be a capability name or mapping, not ${describeValue(item)}`);
    }
  });
  return capabilities;
}
