import { Type, type Static } from '@sinclair/typebox';
import {
  API_VERSION_PATTERN,
  PLUGIN_NAME_PATTERN,
  SEMVER_PATTERN,
} from '../manifest/manifest-schema.js';
import { CHANNEL_NAME_PATTERN } from '../versions/version-spec.js';

/**
 * The registry index of seed 003 (PulumiCost "Plugin Registry Format"), defined once: the types
 * below are derived from these schemas. Objects allow unknown fields, so an index written by a
 * newer registry still loads; `writeRegistryIndex` keeps them.
 */

const open = { additionalProperties: true } as const;

/** The registry format this code writes; it reads any `1.x.y`. */
export const REGISTRY_INDEX_FORMAT_VERSION = '1.0.0';

/** One published version of a plugin. */
export const RegistryVersionSchema = Type.Object(
  {
    version: Type.String({ pattern: SEMVER_PATTERN, description: 'a SemVer 2.0 version (1.2.3)' }),
    manifest_url: Type.Optional(
      Type.String({
        minLength: 1,
        format: 'uri-reference',
        description:
          'Where the manifest of this version is; relative to the index URL if relative.',
      }),
    ),
    published: Type.Optional(
      Type.String({ format: 'date-time', description: 'RFC 3339 publication time.' }),
    ),
    deprecated: Type.Optional(
      Type.Union([Type.Boolean(), Type.String()], {
        description: '`true`, or a message saying what to use instead; `""` means not deprecated.',
      }),
    ),
    yanked: Type.Optional(
      Type.Union([Type.Boolean(), Type.String()], {
        description: '`true`, or the reason for the yank; any string counts as yanked.',
      }),
    ),
  },
  open,
);

/** One plugin and its versions. */
export const RegistryPluginSchema = Type.Object(
  {
    name: Type.String({
      pattern: PLUGIN_NAME_PATTERN,
      description: 'a lower-case plugin id (letters, digits, `.`, `_`, `-`)',
    }),
    description: Type.Optional(Type.String()),
    latest_version: Type.Optional(
      Type.String({
        pattern: SEMVER_PATTERN,
        description: 'a SemVer 2.0 version: what `latest` resolves to, one of `versions`',
      }),
    ),
    dist_tags: Type.Optional(
      Type.Record(Type.String({ pattern: CHANNEL_NAME_PATTERN }), Type.String(), {
        description: 'Channel → version, e.g. `{"beta": "2.0.0-beta.3"}`; each one of `versions`.',
        additionalProperties: false,
      }),
    ),
    versions: Type.Array(RegistryVersionSchema),
    metadata: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'Anything else known about the plugin (author, repository, …).',
      }),
    ),
  },
  open,
);

/** Who serves the index. */
export const RegistryMetadataSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    url: Type.Optional(Type.String({ format: 'uri' })),
    supported_api_versions: Type.Optional(
      Type.Array(
        Type.String({
          pattern: API_VERSION_PATTERN,
          description: 'an API version such as v1 or v2beta1',
        }),
      ),
    ),
  },
  open,
);

/** A registry index document. */
export const RegistryIndexSchema = Type.Object(
  {
    registry_version: Type.String({
      pattern: SEMVER_PATTERN,
      description:
        'a SemVer 2.0 version of the index format (readers refuse a major they do not know)',
    }),
    registry_metadata: Type.Optional(RegistryMetadataSchema),
    plugins: Type.Array(RegistryPluginSchema),
  },
  {
    ...open,
    $id: 'https://plugboard.dev/schemas/registry-index.schema.json',
    title: 'Plugboard registry index',
  },
);

/** One published version in a registry index; usable as a `VersionCandidate`. */
export type RegistryVersion = Static<typeof RegistryVersionSchema>;
/** One plugin entry of a registry index. */
export type RegistryPlugin = Static<typeof RegistryPluginSchema>;
/** The `registry_metadata` of a registry index. */
export type RegistryMetadata = Static<typeof RegistryMetadataSchema>;
/** A registry index document. */
export type RegistryIndex = Static<typeof RegistryIndexSchema>;
