import { joinPath } from '../schema/json-schema-validator.js';
import { imageBaseName, isPluginName, toPluginName } from './derive-plugin-name.js';
import {
  describeValue,
  ImportContext,
  isFieldMap,
  ownField,
  setOwnField,
  type FieldMap,
} from './import-context.js';
import type { ManifestImporter } from './manifest-format.js';

/** Top-level fields of a SpaceONE/Cloudforet plugin YAML that the importer maps. */
const KNOWN_FIELDS = new Set([
  'plugin_id',
  'name',
  'image',
  'registry_type',
  'registry_config',
  'resource_type',
  'service_type',
  'provider',
  'capability',
  'labels',
  'tags',
  'docs',
  'template',
]);

/**
 * SpaceONE/Cloudforet plugin registration YAML (the repository service's managed plugin files and
 * the `spacectl exec register repository.Plugin -f` input).
 *
 * Mapping:
 * - `plugin_id` → `name`; without it the image's base name; lower-cased to a valid id.
 * - `name` (a display name in SpaceONE) → `display_name`.
 * - `resource_type` (or the older `service_type`) → `type`; `provider` → `providers: [provider]`.
 * - `capability` → ONE native capability `{type: <resource type>, ...capability fields}`. The
 *   capability's own fields keep their SpaceONE names: `supported_schema` lists Cloudforet
 *   secret-schema ids (not JSON Schemas, so it is not native `schemas`), `data_type`
 *   (SECRET/PLAIN), `monitoring_type` (LOG/METRIC), `use_resource_secret`. A SpaceONE plugin serves
 *   exactly the one service interface its resource type names, hence one capability.
 * - `labels` → `labels`; `tags.description` → `description`, `tags.icon` → `icon`, every string
 *   tag (including `long_description`) also → `tags`.
 * - `image`, `registry_type`, `registry_config` → `runtime: {type: 'image', image, registry, registry_config}`.
 * - `docs`, `template` and any unknown field → `metadata`.
 * - No `version`: image plugins take their versions from the OCI registry's tags.
 */
export const spaceoneImporter: ManifestImporter = {
  format: 'spaceone',
  detect(document) {
    if (Object.hasOwn(document, 'plugin_id')) return true;
    return (
      Object.hasOwn(document, 'image') &&
      (Object.hasOwn(document, 'resource_type') ||
        Object.hasOwn(document, 'service_type') ||
        Object.hasOwn(document, 'capability'))
    );
  },
  import(document) {
    const ctx = new ImportContext('spaceone');
    const image = ctx.optionalString(ownField(document, 'image'), 'image');
    const name = pluginName(ctx, ownField(document, 'plugin_id'), image);
    const type = pluginType(ctx, document);
    const displayName = ctx.optionalString(ownField(document, 'name'), 'name');
    ctx.origin('display_name', 'name');

    const metadata: FieldMap = {};
    const capability = convertCapability(ctx, ownField(document, 'capability'), type, metadata);
    const tags = convertTags(ctx, ownField(document, 'tags'), metadata);
    const labels = ctx.optionalStringList(ownField(document, 'labels'), 'labels');
    ctx.origin('labels', 'labels');
    const providers = convertProvider(ctx, ownField(document, 'provider'));
    const runtime = convertRuntime(ctx, document, image);

    for (const key of ['docs', 'template'] as const) {
      if (Object.hasOwn(document, key)) setOwnField(metadata, key, document[key]);
    }
    for (const [key, value] of Object.entries(ctx.unknownFields(document, KNOWN_FIELDS))) {
      setOwnField(metadata, key, value);
    }
    for (const key of Object.keys(metadata)) ctx.origin(joinPath('metadata', key), key);

    return ctx.finish({
      name,
      display_name: displayName === '' ? undefined : displayName,
      description: tags.description,
      type,
      capabilities: capability === undefined ? undefined : [capability],
      providers,
      labels,
      tags: tags.strings,
      icon: tags.icon,
      runtime,
      metadata: Object.keys(metadata).length > 0 ? metadata : undefined,
    });
  },
};

function pluginName(
  ctx: ImportContext,
  pluginId: unknown,
  image: string | undefined,
): string | undefined {
  const id = ctx.optionalString(pluginId, 'plugin_id');
  if (id !== undefined) {
    ctx.origin('name', 'plugin_id');
    const name = toPluginName(id);
    if (name === undefined) {
      ctx.problem('plugin_id', `"${id}" cannot be turned into a plugin id (letters and digits)`);
    } else if (name !== id) {
      ctx.warn(`plugin_id "${id}" was changed to the valid plugin id "${name}"`);
    }
    return name;
  }
  if (pluginId !== undefined && pluginId !== null) return undefined;
  if (image === undefined) {
    ctx.problem('plugin_id', 'is required: give plugin_id, or image to derive it from');
    return undefined;
  }
  ctx.origin('name', 'image');
  const base = imageBaseName(image);
  const name = toPluginName(base);
  if (name === undefined) {
    ctx.problem('image', `no plugin id can be derived from the image name "${image}"`);
    return undefined;
  }
  if (!isPluginName(base) || name !== base) {
    ctx.warn(`no plugin_id: name "${name}" derived from image "${image}"`);
  } else {
    ctx.warn(`no plugin_id: name "${name}" taken from the image's base name`);
  }
  return name;
}

function pluginType(ctx: ImportContext, document: FieldMap): string | undefined {
  const resourceType = ctx.optionalString(ownField(document, 'resource_type'), 'resource_type');
  const serviceType = ctx.optionalString(ownField(document, 'service_type'), 'service_type');
  if (resourceType !== undefined && serviceType !== undefined && resourceType !== serviceType) {
    ctx.warn(`resource_type "${resourceType}" used; service_type "${serviceType}" ignored`);
  }
  const type = resourceType ?? serviceType;
  const path = resourceType !== undefined ? 'resource_type' : 'service_type';
  if (type === undefined) {
    const absent =
      !Object.hasOwn(document, 'resource_type') && !Object.hasOwn(document, 'service_type');
    if (absent)
      ctx.problem('resource_type', 'is required (or service_type), e.g. inventory.Collector');
    return undefined;
  }
  if (type.trim() === '') {
    ctx.problem(path, 'must not be empty');
    return undefined;
  }
  ctx.origin('type', path);
  ctx.origin('capabilities[0].type', path);
  return type;
}

function convertCapability(
  ctx: ImportContext,
  value: unknown,
  type: string | undefined,
  metadata: FieldMap,
): FieldMap | undefined {
  const fields = ctx.optionalMap(value, 'capability');
  if (type === undefined) return undefined;
  const capability: FieldMap = { type };
  ctx.origin('capabilities[0]', 'capability');
  for (const [key, field] of Object.entries(fields ?? {})) {
    if (key === 'type') {
      // The capability's type is the plugin's resource type; a different one is kept, not lost.
      if (field !== type) {
        setOwnField(metadata, 'capability_type', field);
        ctx.origin('metadata.capability_type', 'capability.type');
        ctx.warn(
          'capability.type differs from the resource type; kept as metadata.capability_type',
        );
      }
      continue;
    }
    setOwnField(capability, key, field);
  }
  return capability;
}

interface ConvertedTags {
  readonly strings: Record<string, string> | undefined;
  readonly description: string | undefined;
  readonly icon: string | undefined;
}

function convertTags(ctx: ImportContext, value: unknown, metadata: FieldMap): ConvertedTags {
  const tags = ctx.optionalMap(value, 'tags');
  if (tags === undefined) return { strings: undefined, description: undefined, icon: undefined };
  const strings: Record<string, string> = {};
  const other: FieldMap = {};
  for (const [key, tag] of Object.entries(tags)) {
    if (typeof tag === 'string') setOwnField(strings, key, tag);
    else setOwnField(other, key, tag);
  }
  const otherKeys = Object.keys(other);
  if (otherKeys.length > 0) {
    metadata['tags'] = other;
    ctx.warn(`tag(s) without a string value kept in metadata.tags: ${otherKeys.join(', ')}`);
    for (const key of otherKeys) ctx.origin(joinPath('metadata.tags', key), joinPath('tags', key));
  }
  ctx.origin('tags', 'tags');
  const description = ctx.optionalString(ownField(tags, 'description'), 'tags.description');
  ctx.origin('description', 'tags.description');
  const icon = ctx.optionalString(ownField(tags, 'icon'), 'tags.icon');
  ctx.origin('icon', 'tags.icon');
  return {
    strings: Object.keys(strings).length > 0 ? strings : undefined,
    description,
    icon: icon === '' ? undefined : icon,
  };
}

function convertProvider(ctx: ImportContext, value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  ctx.origin('providers[0]', 'provider');
  if (typeof value === 'string') return value === '' ? undefined : [value];
  // Some registrations list several providers; accept that rather than refuse it.
  if (Array.isArray(value)) {
    ctx.origin('providers', 'provider');
    return ctx.optionalStringList(value, 'provider');
  }
  ctx.problem('provider', `must be a string, not ${describeValue(value)}`);
  return undefined;
}

function convertRuntime(
  ctx: ImportContext,
  document: FieldMap,
  image: string | undefined,
): FieldMap | undefined {
  const registry = ctx.optionalString(ownField(document, 'registry_type'), 'registry_type');
  const registryConfig = ownField(document, 'registry_config');
  if (image === undefined) {
    if (!Object.hasOwn(document, 'image')) ctx.warn('no image: the manifest has no runtime');
    if (registry !== undefined || registryConfig !== undefined) {
      ctx.warn('registry_type/registry_config ignored: there is no image');
    }
    return undefined;
  }
  if (image.trim() === '') {
    ctx.problem('image', 'must not be empty');
    return undefined;
  }
  ctx.origin('runtime.image', 'image');
  ctx.origin('runtime.registry', 'registry_type');
  ctx.origin('runtime.registry_config', 'registry_config');
  const runtime: FieldMap = { type: 'image', image };
  if (registry !== undefined) runtime['registry'] = registry;
  if (registryConfig !== undefined && registryConfig !== null) {
    if (isFieldMap(registryConfig)) runtime['registry_config'] = registryConfig;
    else ctx.problem('registry_config', `must be a mapping, not ${describeValue(registryConfig)}`);
  }
  return runtime;
}
