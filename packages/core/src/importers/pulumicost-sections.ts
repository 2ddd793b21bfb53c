import { joinPath } from '../schema/json-schema-validator.js';
import { readApiVersion } from './native-field-checks.js';
import {
  describeValue,
  isFieldMap,
  type ImportContext,
  ownField,
  setOwnField,
  type FieldMap,
} from './import-context.js';

/**
 * Sections shared by the flat and the nested PulumiCost manifest: requirements, security
 * permissions and configuration.
 */

/** PulumiCost architecture names → the names Plugboard uses (Node's `process.arch`). */
const ARCHITECTURES: Readonly<Record<string, string>> = {
  x86_64: 'x64',
  amd64: 'x64',
  arm64: 'arm64',
  aarch64: 'arm64',
  i386: 'ia32',
  armv7: 'arm',
  ppc64le: 'ppc64',
  s390x: 's390x',
};

/** Requirements fields renamed or moved; everything else in `requirements` is kept as is. */
const MOVED_REQUIREMENTS = new Set([
  'min_api_version',
  'max_api_version',
  'dependencies',
  'system_requirements',
  'supported_os',
  'supported_architectures',
  'os',
  'arch',
]);

/** Native `requirements` plus the authentication methods PulumiCost keeps among them. */
export interface ConvertedRequirements {
  readonly requirements: FieldMap | undefined;
  readonly authMethods: string[] | undefined;
}

/**
 * `requirements` of either form → native requirements: api versions as is, `dependencies`
 * `{name, version_constraint|version, optional}` → `{name, version, optional}`,
 * `system_requirements.supported_os` → `os`, `supported_architectures` → `arch` (Node names),
 * `min_memory_mb`/`min_disk_mb` kept as requirements (a minimum the host needs, NOT a sandbox
 * limit), `runtime_requirements.auth_methods` → authentication methods. Other fields are kept.
 */
export function convertRequirements(ctx: ImportContext, value: unknown): ConvertedRequirements {
  const input = ctx.optionalMap(value, 'requirements');
  if (input === undefined) return { requirements: undefined, authMethods: undefined };
  const requirements: FieldMap = {};
  ctx.origin('requirements', 'requirements');
  for (const [key, field] of Object.entries(input)) {
    if (!MOVED_REQUIREMENTS.has(key)) setOwnField(requirements, key, field);
  }
  for (const key of ['min_api_version', 'max_api_version'] as const) {
    const path = joinPath('requirements', key);
    const apiVersion = readApiVersion(ctx, ownField(input, key), path);
    if (apiVersion !== undefined) requirements[key] = apiVersion;
  }
  const dependencies = convertDependencies(ctx, ownField(input, 'dependencies'));
  if (dependencies !== undefined) requirements['dependencies'] = dependencies;

  const systemPath = 'requirements.system_requirements';
  const system = ctx.optionalMap(ownField(input, 'system_requirements'), systemPath);
  for (const [key, field] of Object.entries(system ?? {})) {
    if (key === 'supported_os' || key === 'supported_architectures') continue;
    setOwnField(requirements, key, field);
    ctx.origin(joinPath('requirements', key), joinPath(systemPath, key));
  }
  // The flat form may list os/arch directly in requirements; those win over system_requirements.
  const os =
    readOneOf(ctx, input, 'requirements', ['os', 'supported_os']) ??
    (system === undefined ? undefined : readOneOf(ctx, system, systemPath, ['supported_os']));
  if (os !== undefined) {
    requirements['os'] = os.values;
    ctx.origin('requirements.os', os.path);
  }
  const arch =
    readOneOf(ctx, input, 'requirements', ['arch', 'supported_architectures']) ??
    (system === undefined
      ? undefined
      : readOneOf(ctx, system, systemPath, ['supported_architectures']));
  if (arch !== undefined) {
    requirements['arch'] = arch.values.map(toNodeArchitecture);
    ctx.origin('requirements.arch', arch.path);
  }

  const runtime = ctx.optionalMap(
    ownField(input, 'runtime_requirements'),
    'requirements.runtime_requirements',
  );
  const authMethods =
    runtime === undefined
      ? undefined
      : ctx.optionalStringList(
          ownField(runtime, 'auth_methods'),
          'requirements.runtime_requirements.auth_methods',
        );
  if (authMethods !== undefined) {
    ctx.origin('authentication.methods', 'requirements.runtime_requirements.auth_methods');
  }
  return {
    requirements: Object.keys(requirements).length > 0 ? requirements : undefined,
    authMethods,
  };
}

function toNodeArchitecture(name: string): string {
  return Object.hasOwn(ARCHITECTURES, name) ? (ARCHITECTURES[name] ?? name) : name;
}

function readOneOf(
  ctx: ImportContext,
  record: FieldMap,
  base: string,
  keys: readonly string[],
): { values: string[]; path: string } | undefined {
  for (const key of keys) {
    if (!Object.hasOwn(record, key)) continue;
    const path = joinPath(base, key);
    const values = ctx.optionalStringList(record[key], path);
    return values === undefined ? undefined : { values, path };
  }
  return undefined;
}

function convertDependencies(ctx: ImportContext, value: unknown): FieldMap[] | undefined {
  const list = ctx.optionalList(value, 'requirements.dependencies');
  if (list === undefined) return undefined;
  const dependencies: FieldMap[] = [];
  list.forEach((item, index) => {
    const path = joinPath('requirements.dependencies', index);
    ctx.origin(joinPath('requirements.dependencies', dependencies.length), path);
    if (!isFieldMap(item)) {
      ctx.problem(path, `must be a mapping {name, version_constraint}, not ${describeValue(item)}`);
      return;
    }
    const name = ctx.requiredString(ownField(item, 'name'), joinPath(path, 'name'));
    const versionKey = Object.hasOwn(item, 'version_constraint') ? 'version_constraint' : 'version';
    const version = ctx.requiredString(ownField(item, versionKey), joinPath(path, versionKey));
    const optional = ctx.optionalBoolean(ownField(item, 'optional'), joinPath(path, 'optional'));
    if (name === undefined || version === undefined) return;
    const dependency: FieldMap = {};
    for (const [key, field] of Object.entries(item)) {
      if (key !== 'version_constraint') setOwnField(dependency, key, field);
    }
    dependency['name'] = name;
    dependency['version'] = version;
    if (optional !== undefined) dependency['optional'] = optional;
    dependencies.push(dependency);
  });
  return dependencies;
}

/** Unscoped PulumiCost filesystem permissions are granted on the whole tree, as they ask. */
const WHOLE_FILESYSTEM = '/';
/** `env` entry meaning every environment variable (PulumiCost `environment_read` names none). */
const ALL_ENVIRONMENT = '*';

/**
 * `security.permissions` (a list of permission names) → native `permissions`:
 * `network_access` → `network: true`; `filesystem_read`/`filesystem_write` → `filesystem.read`/
 * `write: ['/']` (PulumiCost gives no paths); `environment_read` → `env: ['*']`. Permissions with
 * no native counterpart (`process_spawn`, `system_info`, `temp_files`, `config_read`,
 * `metrics_collect`) are kept under `permissions.unmapped` with a warning.
 */
export function convertPermissions(
  ctx: ImportContext,
  value: unknown,
  path: string,
): FieldMap | undefined {
  const names = ctx.optionalStringList(value, path);
  if (names === undefined) return undefined;
  ctx.origin('permissions', path);
  const permissions: FieldMap = {};
  const filesystem: { read?: string[]; write?: string[] } = {};
  const unmapped: string[] = [];
  for (const name of names) {
    if (name === 'network_access') permissions['network'] = true;
    else if (name === 'filesystem_read') filesystem.read = [WHOLE_FILESYSTEM];
    else if (name === 'filesystem_write') filesystem.write = [WHOLE_FILESYSTEM];
    else if (name === 'environment_read') permissions['env'] = [ALL_ENVIRONMENT];
    else unmapped.push(name);
  }
  if (filesystem.read !== undefined || filesystem.write !== undefined) {
    permissions['filesystem'] = filesystem;
    ctx.warn(`${path}: unscoped filesystem access granted on "/"; list paths to narrow it`);
  }
  if (unmapped.length > 0) {
    permissions['unmapped'] = unmapped;
    ctx.warn(
      `${path}: no Plugboard equivalent, not enforced (kept as permissions.unmapped): ${unmapped.join(', ')}`,
    );
  }
  return permissions;
}

/** Keys that only a JSON Schema would have at its top level. */
const JSON_SCHEMA_KEYS = ['$schema', 'type', 'properties', 'required', 'allOf', 'anyOf', 'oneOf'];

/** Native configuration schema, and the original section when it was not a schema as such. */
export interface ConvertedConfiguration {
  readonly schema: FieldMap | undefined;
  readonly original: FieldMap | undefined;
}

/**
 * `configuration` → native `configuration` (a JSON Schema). The nested form carries the schema as
 * JSON text in `schema`, defaults as JSON text in `default_config` (→ the schema's `default`) and
 * `required_fields` (→ its `required`); the original section is kept in metadata. A flat
 * `configuration` that already is a JSON Schema object is used directly.
 */
export function convertConfiguration(ctx: ImportContext, value: unknown): ConvertedConfiguration {
  const input = ctx.optionalMap(value, 'configuration');
  if (input === undefined) return { schema: undefined, original: undefined };
  if (
    !Object.hasOwn(input, 'schema') &&
    JSON_SCHEMA_KEYS.some((key) => Object.hasOwn(input, key))
  ) {
    ctx.origin('configuration', 'configuration');
    return { schema: input, original: undefined };
  }
  ctx.origin('metadata.configuration', 'configuration');
  const text = ctx.optionalString(ownField(input, 'schema'), 'configuration.schema');
  if (text === undefined) {
    if (!Object.hasOwn(input, 'schema')) {
      ctx.warn('configuration holds no JSON Schema; kept as metadata.configuration');
    }
    return { schema: undefined, original: input };
  }
  // Every part is read before giving up, so one bad part does not hide the others' problems.
  const parsed = parseJsonObject(ctx, text, 'configuration.schema');
  const defaultsText = ctx.optionalString(
    ownField(input, 'default_config'),
    'configuration.default_config',
  );
  const defaults =
    defaultsText === undefined
      ? undefined
      : parseJsonObject(ctx, defaultsText, 'configuration.default_config');
  const required = ctx.optionalStringList(
    ownField(input, 'required_fields'),
    'configuration.required_fields',
  );
  if (parsed === undefined) return { schema: undefined, original: input };

  const schema: FieldMap = { ...parsed };
  ctx.origin('configuration', 'configuration.schema');
  if (defaults !== undefined) schema['default'] = defaults;
  if (required !== undefined && required.length > 0) {
    const existing = schema['required'] ?? [];
    if (Array.isArray(existing)) {
      schema['required'] = [...new Set([...(existing as unknown[]), ...required])];
      ctx.origin('configuration.required', 'configuration.required_fields');
    } else {
      ctx.problem('configuration.schema', 'its "required" must be a list of field names');
    }
  }
  return { schema, original: input };
}

function parseJsonObject(ctx: ImportContext, text: string, path: string): FieldMap | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    ctx.problem(path, `is not valid JSON text: ${(error as Error).message}`);
    return undefined;
  }
  if (!isFieldMap(parsed)) {
    ctx.problem(path, `must hold a JSON object, not ${describeValue(parsed)}`);
    return undefined;
  }
  return parsed;
}

/** Adds authentication methods found among the requirements to the `authentication` section. */
export function mergeAuthentication(
  authentication: FieldMap | undefined,
  methods: string[] | undefined,
): FieldMap | undefined {
  if (methods === undefined) return authentication;
  const merged: FieldMap = { ...authentication };
  const existing = ownField(merged, 'methods');
  if (existing === undefined) merged['methods'] = methods;
  // A malformed `methods` is left for the native check to report at its input path.
  else if (Array.isArray(existing))
    merged['methods'] = [...new Set([...(existing as unknown[]), ...methods])];
  return merged;
}
