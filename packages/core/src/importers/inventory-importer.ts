import { joinPath } from '../schema/json-schema-validator.js';
import { isPluginName, toPluginName } from './derive-plugin-name.js';
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

/** Top-level fields of an inventory provider plugin `manifest.yml` that the importer maps. */
const KNOWN_FIELDS = new Set([
  'vendor',
  'provider_type',
  'name',
  'display_name',
  'version',
  'description',
  'supported_resource_types',
  'connection_parameters',
  'infrastructure',
  'dependencies',
]);

/** Connection parameter types the native model knows. */
const PARAMETER_TYPES = ['string', 'integer', 'number', 'boolean', 'object', 'array'] as const;

/** Python type names (the inventory plugins are Python packages) → native parameter types. */
const PYTHON_PARAMETER_TYPES: Readonly<Record<string, string>> = {
  str: 'string',
  int: 'integer',
  float: 'number',
  bool: 'boolean',
  dict: 'object',
  list: 'array',
};

/** Parameter names that usually hold a credential. */
const SECRET_LIKE_NAME = /password|passwd|secret|token|api_?key|private_?key|credential/i;

/**
 * Inventory service provider plugin `manifest.yml` (the `is-providers/<vendor>/<platform>/` plugins
 * bound to Provider records by `vendor:provider_type`).
 *
 * Mapping: `name` = a given valid id, else `<vendor>-<provider_type>` (a given display-style name
 * then becomes `display_name`); `type: 'provider'`; `providers: [vendor]`; ONE capability
 * `{type: 'provider', vendor, provider_type, resource_types: supported_resource_types}`;
 * `connection_parameters` (a list, or a mapping keyed by parameter name) → native connection
 * parameters, `sensitive` read as `secret`, Python type names (`str`, `int`, …) accepted;
 * `infrastructure` → `tags.infrastructure`; `dependencies` (pip/Ansible/system packages, not
 * plugins) and every unknown field → `metadata`.
 */
export const inventoryImporter: ManifestImporter = {
  format: 'inventory',
  detect: (document) =>
    Object.hasOwn(document, 'vendor') && Object.hasOwn(document, 'provider_type'),
  import(document) {
    const ctx = new ImportContext('inventory');
    const vendor = idPart(ctx, ownField(document, 'vendor'), 'vendor');
    const providerType = idPart(ctx, ownField(document, 'provider_type'), 'provider_type');
    const { name, displayName } = pluginNames(ctx, document, vendor, providerType);
    const version = readVersion(ctx, ownField(document, 'version'), 'version');
    const description = ctx.optionalString(ownField(document, 'description'), 'description');
    const resourceTypes = ctx.optionalStringList(
      ownField(document, 'supported_resource_types'),
      'supported_resource_types',
    );
    ctx.origin('capabilities[0].resource_types', 'supported_resource_types');
    const parameters = convertParameters(ctx, ownField(document, 'connection_parameters'));
    const infrastructure = ctx.optionalString(
      ownField(document, 'infrastructure'),
      'infrastructure',
    );

    const metadata: FieldMap = {};
    if (Object.hasOwn(document, 'dependencies'))
      metadata['dependencies'] = document['dependencies'];
    for (const [key, value] of Object.entries(ctx.unknownFields(document, KNOWN_FIELDS))) {
      setOwnField(metadata, key, value);
    }
    for (const key of Object.keys(metadata)) ctx.origin(joinPath('metadata', key), key);

    const capability: FieldMap = { type: 'provider' };
    if (vendor !== undefined) capability['vendor'] = vendor;
    if (providerType !== undefined) capability['provider_type'] = providerType;
    if (resourceTypes !== undefined) capability['resource_types'] = resourceTypes;

    return ctx.finish({
      name,
      display_name: displayName,
      description,
      version,
      type: 'provider',
      capabilities: [capability],
      providers: vendor === undefined ? undefined : [vendor],
      tags: infrastructure === undefined ? undefined : { infrastructure },
      connection_parameters: parameters,
      metadata: Object.keys(metadata).length > 0 ? metadata : undefined,
    });
  },
};

function idPart(ctx: ImportContext, value: unknown, path: string): string | undefined {
  const text = ctx.requiredString(value, path);
  if (text === undefined) return undefined;
  if (toPluginName(text) === undefined) {
    ctx.problem(path, `"${text}" must contain letters or digits`);
    return undefined;
  }
  return text;
}

function pluginNames(
  ctx: ImportContext,
  document: FieldMap,
  vendor: string | undefined,
  providerType: string | undefined,
): { name: string | undefined; displayName: string | undefined } {
  const given = ctx.optionalString(ownField(document, 'name'), 'name');
  let displayName = ctx.optionalString(ownField(document, 'display_name'), 'display_name');
  ctx.origin('display_name', 'display_name');
  if (given !== undefined && isPluginName(given)) {
    ctx.origin('name', 'name');
    return { name: given, displayName };
  }
  if (given !== undefined && given.trim() !== '') {
    if (displayName === undefined) {
      displayName = given;
      ctx.origin('display_name', 'name');
    } else {
      ctx.warn(`name "${given}" is not a plugin id and display_name is set; name not used`);
    }
  }
  if (vendor === undefined || providerType === undefined) return { name: undefined, displayName };
  const derived = toPluginName(`${vendor}-${providerType}`);
  ctx.origin('name', 'vendor');
  if (given !== undefined) ctx.warn(`name "${given}" is not a plugin id; using "${derived}"`);
  return { name: derived, displayName };
}

function convertParameters(ctx: ImportContext, value: unknown): FieldMap[] | undefined {
  if (value === undefined || value === null) return undefined;
  // Either a list of parameters or a mapping keyed by parameter name; both appear in the wild.
  const entries: { path: string; item: unknown; key?: string }[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, index) =>
      entries.push({ path: joinPath('connection_parameters', index), item }),
    );
  } else if (isFieldMap(value)) {
    for (const [key, item] of Object.entries(value)) {
      entries.push({ path: joinPath('connection_parameters', key), item, key });
    }
  } else {
    ctx.problem('connection_parameters', `must be a list, not ${describeValue(value)}`);
    return undefined;
  }
  const parameters: FieldMap[] = [];
  for (const entry of entries) {
    ctx.origin(joinPath('connection_parameters', parameters.length), entry.path);
    const parameter = convertParameter(ctx, entry.item, entry.path, entry.key);
    if (parameter !== undefined) parameters.push(parameter);
  }
  return parameters;
}

function convertParameter(
  ctx: ImportContext,
  item: unknown,
  path: string,
  key: string | undefined,
): FieldMap | undefined {
  if (!isFieldMap(item)) {
    ctx.problem(path, `must be a mapping {name, type, …}, not ${describeValue(item)}`);
    return undefined;
  }
  const name =
    key !== undefined && !Object.hasOwn(item, 'name')
      ? key
      : ctx.requiredString(ownField(item, 'name'), joinPath(path, 'name'));
  const type = parameterType(ctx, ownField(item, 'type'), joinPath(path, 'type'), name);
  const required = ctx.optionalBoolean(ownField(item, 'required'), joinPath(path, 'required'));
  const secret = secretFlag(ctx, item, path);
  if (name === undefined || type === undefined) return undefined;

  const parameter: FieldMap = {};
  for (const [field, fieldValue] of Object.entries(item)) {
    if (field !== 'sensitive') setOwnField(parameter, field, fieldValue);
  }
  parameter['name'] = name;
  parameter['type'] = type;
  if (required !== undefined) parameter['required'] = required;
  if (secret !== undefined) parameter['secret'] = secret;
  if (Object.hasOwn(item, 'default') && item['default'] !== null) {
    checkDefault(ctx, item['default'], type, joinPath(path, 'default'));
  }
  if (secret !== true && SECRET_LIKE_NAME.test(name)) {
    ctx.warn(`${path} "${name}" looks like a credential but is not marked secret`);
  }
  return parameter;
}

function parameterType(
  ctx: ImportContext,
  value: unknown,
  path: string,
  name: string | undefined,
): string | undefined {
  if (value === undefined || value === null) {
    ctx.warn(`${path}: no type for "${name ?? '?'}"; string assumed`);
    return 'string';
  }
  if (typeof value !== 'string') {
    ctx.problem(path, `must be one of ${PARAMETER_TYPES.join(', ')}, not ${describeValue(value)}`);
    return undefined;
  }
  const lowered = value.toLowerCase();
  if ((PARAMETER_TYPES as readonly string[]).includes(lowered)) return lowered;
  if (Object.hasOwn(PYTHON_PARAMETER_TYPES, lowered)) return PYTHON_PARAMETER_TYPES[lowered];
  ctx.problem(path, `"${value}" must be one of ${PARAMETER_TYPES.join(', ')}`);
  return undefined;
}

function secretFlag(ctx: ImportContext, item: FieldMap, path: string): boolean | undefined {
  const secret = ctx.optionalBoolean(ownField(item, 'secret'), joinPath(path, 'secret'));
  const sensitive = ctx.optionalBoolean(ownField(item, 'sensitive'), joinPath(path, 'sensitive'));
  if (secret !== undefined && sensitive !== undefined && secret !== sensitive) {
    ctx.problem(joinPath(path, 'sensitive'), 'contradicts secret');
    return undefined;
  }
  return secret ?? sensitive;
}

function checkDefault(ctx: ImportContext, value: unknown, type: string, path: string): void {
  const matches =
    type === 'string'
      ? typeof value === 'string'
      : type === 'integer'
        ? Number.isInteger(value)
        : type === 'number'
          ? typeof value === 'number'
          : type === 'boolean'
            ? typeof value === 'boolean'
            : type === 'array'
              ? Array.isArray(value)
              : isFieldMap(value);
  if (!matches)
    ctx.problem(path, `must be a ${type} like the parameter, not ${describeValue(value)}`);
}
