import { joinPath } from '../schema/json-schema-validator.js';
import { decodeBase64Text } from './decode-base64-text.js';
import { toPluginName } from './derive-plugin-name.js';
import {
  describeValue,
  ImportContext,
  isFieldMap,
  ownField,
  setOwnField,
  type FieldMap,
} from './import-context.js';
import type { ManifestImporter } from './manifest-format.js';
import { readVersion } from './native-field-checks.js';

/** Name given to an OCM plugin whose capabilities document does not carry one. */
export const OCM_FALLBACK_PLUGIN_NAME = 'ocm-plugin';

/** A capability key listing supported types, e.g. `supportedRepositorySpecTypes`. */
const SUPPORTED_TYPES_KEY = /^supported\w*Types$/;
/** Any capability key listing types (also `customCredentialTypes`). */
const TYPE_LIST_KEY = /Types$/;

/** Top-level fields the importer maps. */
const KNOWN_FIELDS = new Set([
  'capabilities',
  'name',
  'pluginName',
  'version',
  'pluginVersion',
  'description',
  'shortDescription',
]);

/** Native capability fields the importer sets itself; OCM fields of the same name cannot be kept. */
const RESERVED_CAPABILITY_FIELDS = new Set(['type', 'name', 'aliases', 'schemas', 'ocm_types_key']);

/**
 * The JSON an OCM (open-component-model) plugin prints for its `capabilities` command:
 * `{"capabilities": [{"type": "componentVersionRepository", "supportedRepositorySpecTypes":
 * [{"type": "OCIRepository/v1", "aliases": ["oci"], "jsonSchema": "<base64>"}]}], …}`.
 *
 * OCM's Go types declare `jsonSchema` as `[]byte`, which encoding/json writes as base64; a JSON
 * object or JSON text is accepted too (hand-written documents), and older plugins put the schemas
 * in a `typeToJSONSchema` map beside the type lists, which is read as a fallback.
 *
 * Each (capability type, supported type) pair becomes one native capability
 * `{type: <capability type>, name: <supported type>, aliases, schemas: {<supported type>: schema},
 * ocm_types_key: <the list it came from>}`; other capability fields are copied onto each. `name`
 * comes from a top-level `name`/`pluginName`, else `ocm-plugin` with a warning.
 */
export const ocmImporter: ManifestImporter = {
  format: 'ocm',
  detect(document) {
    const capabilities = ownField(document, 'capabilities');
    return (
      Array.isArray(capabilities) &&
      capabilities.some(
        (entry) =>
          isFieldMap(entry) && Object.keys(entry).some((key) => SUPPORTED_TYPES_KEY.test(key)),
      )
    );
  },
  import(document) {
    const ctx = new ImportContext('ocm');
    const name = pluginName(ctx, document);
    const metadata = ctx.unknownFields(document, KNOWN_FIELDS);
    const version = pluginVersion(ctx, document, metadata);
    const descriptionKey = Object.hasOwn(document, 'description')
      ? 'description'
      : 'shortDescription';
    const description = ctx.optionalString(ownField(document, descriptionKey), descriptionKey);
    ctx.origin('description', descriptionKey);
    for (const key of Object.keys(metadata)) ctx.origin(joinPath('metadata', key), key);

    const list = ctx.optionalList(ownField(document, 'capabilities'), 'capabilities');
    if (list === undefined) ctx.problem('capabilities', 'is required');
    const capabilities: FieldMap[] = [];
    (list ?? []).forEach((entry, index) => {
      convertCapability(ctx, entry, joinPath('capabilities', index), capabilities);
    });

    return ctx.finish({
      name,
      version,
      description,
      capabilities,
      metadata: Object.keys(metadata).length > 0 ? metadata : undefined,
    });
  },
};

function pluginName(ctx: ImportContext, document: FieldMap): string | undefined {
  const given = ownField(document, 'name') ?? ownField(document, 'pluginName');
  if (given === undefined || given === null) {
    ctx.warn(`no plugin name in the capabilities document; named "${OCM_FALLBACK_PLUGIN_NAME}"`);
    return OCM_FALLBACK_PLUGIN_NAME;
  }
  const key = given === ownField(document, 'name') ? 'name' : 'pluginName';
  const text = ctx.optionalString(given, key);
  if (text === undefined) return undefined;
  ctx.origin('name', key);
  const name = toPluginName(text);
  if (name === undefined) ctx.problem(key, `"${text}" cannot be turned into a plugin id`);
  else if (name !== text) ctx.warn(`${key} "${text}" was changed to the valid plugin id "${name}"`);
  return name;
}

/**
 * `pluginVersion`, else a SemVer `version`. An OCM descriptor's `version` is often the descriptor
 * format (`v1`), not the plugin's; such a value is kept in metadata rather than refused.
 */
function pluginVersion(
  ctx: ImportContext,
  document: FieldMap,
  metadata: FieldMap,
): string | undefined {
  if (Object.hasOwn(document, 'pluginVersion')) {
    ctx.origin('version', 'pluginVersion');
    return readVersion(ctx, document['pluginVersion'], 'pluginVersion');
  }
  const version = ownField(document, 'version');
  if (version === undefined || version === null) return undefined;
  const probe = new ImportContext('ocm');
  const read = readVersion(probe, version, 'version');
  if (read !== undefined) {
    ctx.origin('version', 'version');
    for (const warning of probe.warnings) ctx.warn(warning);
    return read;
  }
  setOwnField(metadata, 'version', version);
  ctx.origin('metadata.version', 'version');
  ctx.warn('version is not a SemVer plugin version; kept as metadata.version');
  return undefined;
}

function convertCapability(
  ctx: ImportContext,
  entry: unknown,
  path: string,
  out: FieldMap[],
): void {
  if (!isFieldMap(entry)) {
    ctx.problem(path, `must be a mapping {type, supported…Types}, not ${describeValue(entry)}`);
    return;
  }
  const type = ctx.requiredString(ownField(entry, 'type'), joinPath(path, 'type'));
  const fallbackSchemas = ctx.optionalMap(
    ownField(entry, 'typeToJSONSchema'),
    joinPath(path, 'typeToJSONSchema'),
  );
  const shared: FieldMap = {};
  const typeLists: string[] = [];
  for (const [key, value] of Object.entries(entry)) {
    if (key === 'typeToJSONSchema') continue;
    if (TYPE_LIST_KEY.test(key) && (Array.isArray(value) || value === null)) typeLists.push(key);
    else if (RESERVED_CAPABILITY_FIELDS.has(key)) {
      if (key !== 'type') ctx.warn(`${joinPath(path, key)} ignored: Plugboard sets that field`);
    } else setOwnField(shared, key, value);
  }
  if (type === undefined) return;

  const before = out.length;
  for (const key of typeLists) {
    const items = (entry[key] ?? []) as unknown[];
    items.forEach((item, index) => {
      const itemPath = joinPath(joinPath(path, key), index);
      const converted = convertSupportedType(ctx, item, itemPath, fallbackSchemas, path);
      if (converted === undefined) return;
      ctx.origin(joinPath('capabilities', out.length), itemPath);
      out.push({ ...shared, type, ...converted, ocm_types_key: key });
    });
  }
  if (out.length === before) {
    ctx.warn(`${path} (${type}) lists no supported types`);
    ctx.origin(joinPath('capabilities', out.length), path);
    out.push({ ...shared, type });
  }
}

function convertSupportedType(
  ctx: ImportContext,
  item: unknown,
  path: string,
  fallbackSchemas: FieldMap | undefined,
  capabilityPath: string,
): FieldMap | undefined {
  // A bare string is a runtime.Type without aliases or schema.
  if (typeof item === 'string') {
    if (item.trim() !== '') return { name: item };
    ctx.problem(path, 'must not be empty');
    return undefined;
  }
  if (!isFieldMap(item)) {
    ctx.problem(path, `must be a mapping {type, aliases, jsonSchema}, not ${describeValue(item)}`);
    return undefined;
  }
  const name = ctx.requiredString(ownField(item, 'type'), joinPath(path, 'type'));
  const aliases = ctx.optionalStringList(ownField(item, 'aliases'), joinPath(path, 'aliases'));
  let schema = decodeSchema(ctx, ownField(item, 'jsonSchema'), joinPath(path, 'jsonSchema'));
  if (schema === undefined && name !== undefined && fallbackSchemas !== undefined) {
    const fallbackPath = joinPath(joinPath(capabilityPath, 'typeToJSONSchema'), name);
    schema = decodeSchema(ctx, ownField(fallbackSchemas, name), fallbackPath);
  }
  if (name === undefined) return undefined;
  const converted: FieldMap = { name };
  if (aliases !== undefined && aliases.length > 0) converted['aliases'] = aliases;
  if (schema !== undefined) {
    const schemas: FieldMap = {};
    setOwnField(schemas, name, schema);
    converted['schemas'] = schemas;
  }
  return converted;
}

/** A JSON Schema given as an object, as JSON text, or as base64 of JSON text (Go `[]byte`). */
function decodeSchema(ctx: ImportContext, value: unknown, path: string): FieldMap | undefined {
  if (value === undefined || value === null) return undefined;
  if (isFieldMap(value)) return value;
  if (typeof value !== 'string') {
    ctx.problem(path, `must be a JSON Schema object or base64 text, not ${describeValue(value)}`);
    return undefined;
  }
  if (value.trim() === '') return undefined;
  const text = value.trimStart().startsWith('{') ? value : decodeBase64Text(value);
  if (text === undefined) {
    ctx.problem(path, 'is neither JSON text nor base64-encoded JSON');
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    ctx.problem(path, 'does not hold valid JSON');
    return undefined;
  }
  if (!isFieldMap(parsed)) {
    ctx.problem(path, `must hold a JSON Schema object, not ${describeValue(parsed)}`);
    return undefined;
  }
  return parsed;
}
