import { Type, type Static } from '@sinclair/typebox';

/**
 * Plugboard's native manifest, defined once: the TypeScript types below are derived from these
 * schemas, and `schemas/manifest.schema.json` is written from them (`npm run schema`).
 * Every object allows unknown fields so newer manifests still load in older hosts.
 */

const open = { additionalProperties: true } as const;

/** Lower-case plugin id: letters, digits, `.`, `_` and `-`, starting and ending alphanumeric. */
export const PLUGIN_NAME_PATTERN = '^[a-z0-9]([a-z0-9._-]{0,126}[a-z0-9])?$';

/** SemVer 2.0 (https://semver.org), without a leading `v`. */
export const SEMVER_PATTERN =
  '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$';

/** An API version such as `v1` or `v2beta1`. */
export const API_VERSION_PATTERN = '^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$';

const API_VERSION_DESCRIPTION = 'an API version such as v1 or v2beta1';

const JsonSchemaObject = Type.Record(Type.String(), Type.Unknown(), {
  description: 'A JSON Schema (draft 2020-12) document.',
});

/** One capability a plugin provides, e.g. a provider, a cost source, an OCM repository type. */
export const CapabilitySchema = Type.Object(
  {
    type: Type.String({
      minLength: 1,
      description: 'Capability type, e.g. `provider`, `actual_cost`.',
    }),
    name: Type.Optional(
      Type.String({ description: 'Name within the type, when a plugin offers several.' }),
    ),
    version: Type.Optional(Type.String({ description: 'Version of the capability contract.' })),
    description: Type.Optional(Type.String()),
    endpoints: Type.Optional(
      Type.Array(Type.String(), { description: 'Methods served at `POST /v1/<type>/<method>`.' }),
    ),
    schemas: Type.Optional(
      Type.Record(Type.String(), JsonSchemaObject, {
        description: 'JSON Schema per endpoint (or per supported type) for call input.',
      }),
    ),
    vendor: Type.Optional(
      Type.String({ description: 'Inventory provider vendor, e.g. `vmware`.' }),
    ),
    provider_type: Type.Optional(
      Type.String({ description: 'Inventory provider type, e.g. `vcenter`.' }),
    ),
    resource_types: Type.Optional(
      Type.Array(Type.String(), { description: 'Resource types the capability produces.' }),
    ),
    aliases: Type.Optional(Type.Array(Type.String())),
  },
  open,
);

/** How the plugin is executed. */
export const RuntimeSchema = Type.Object(
  {
    type: Type.Union([Type.Literal('executable'), Type.Literal('node'), Type.Literal('image')], {
      description:
        '`executable`: a file run directly; `node`: a JS module run by Node; `image`: an OCI image.',
    }),
    entrypoint: Type.Optional(Type.String({ description: 'Path relative to the plugin folder.' })),
    args: Type.Optional(Type.Array(Type.String())),
    image: Type.Optional(Type.String({ description: 'OCI image name, for `image` runtimes.' })),
    registry: Type.Optional(Type.String({ description: 'OCI registry host or registry type.' })),
  },
  open,
);

/** What the plugin needs from the host. */
export const RequirementsSchema = Type.Object(
  {
    min_api_version: Type.Optional(
      Type.String({ pattern: API_VERSION_PATTERN, description: API_VERSION_DESCRIPTION }),
    ),
    max_api_version: Type.Optional(
      Type.String({ pattern: API_VERSION_PATTERN, description: API_VERSION_DESCRIPTION }),
    ),
    os: Type.Optional(
      Type.Array(Type.String(), { description: 'e.g. `linux`, `darwin`, `windows`.' }),
    ),
    arch: Type.Optional(Type.Array(Type.String(), { description: 'e.g. `x64`, `arm64`.' })),
    dependencies: Type.Optional(
      Type.Array(
        Type.Object(
          { name: Type.String(), version: Type.String(), optional: Type.Optional(Type.Boolean()) },
          open,
        ),
      ),
    ),
  },
  open,
);

/** One parameter a provider instance must be configured with (seed 004). */
export const ConnectionParameterSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    type: Type.Union(
      [
        Type.Literal('string'),
        Type.Literal('integer'),
        Type.Literal('number'),
        Type.Literal('boolean'),
        Type.Literal('object'),
        Type.Literal('array'),
      ],
      { default: 'string' },
    ),
    required: Type.Optional(Type.Boolean({ default: false })),
    default: Type.Optional(Type.Unknown()),
    secret: Type.Optional(
      Type.Boolean({ default: false, description: 'Encrypted at rest, never returned.' }),
    ),
    description: Type.Optional(Type.String()),
    label: Type.Optional(Type.String()),
  },
  open,
);

/** What the sandbox lets the plugin do; anything not declared is denied. */
export const PermissionsSchema = Type.Object(
  {
    network: Type.Optional(
      Type.Union([Type.Boolean(), Type.Array(Type.String())], {
        description:
          '`true` for any network, or the hosts it may reach; absent or `false` for none.',
      }),
    ),
    filesystem: Type.Optional(
      Type.Object(
        {
          read: Type.Optional(Type.Array(Type.String())),
          write: Type.Optional(Type.Array(Type.String())),
        },
        open,
      ),
    ),
    env: Type.Optional(
      Type.Array(Type.String(), { description: 'Environment variables passed through.' }),
    ),
    memory_mb: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Address-space limit in MiB.' }),
    ),
    cpu_seconds: Type.Optional(
      Type.Integer({ minimum: 1, description: 'CPU-time limit in seconds.' }),
    ),
    open_files: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Open file descriptor limit.' }),
    ),
  },
  open,
);

/** People and places to contact about the plugin. */
export const ContactsSchema = Type.Object(
  {
    author: Type.Optional(Type.String()),
    email: Type.Optional(Type.String()),
    url: Type.Optional(Type.String()),
    maintainers: Type.Optional(Type.Array(Type.String())),
  },
  open,
);

/** Plugboard's native plugin manifest. */
export const PluginManifestSchema = Type.Object(
  {
    name: Type.String({
      pattern: PLUGIN_NAME_PATTERN,
      description:
        'a lower-case plugin id (letters, digits, ".", "_", "-"; at most 128 characters)',
    }),
    display_name: Type.Optional(Type.String({ minLength: 1 })),
    description: Type.Optional(Type.String()),
    version: Type.Optional(
      Type.String({
        pattern: SEMVER_PATTERN,
        description:
          'SemVer 2.0. Required to publish a package; image plugins take versions from registry tags.',
      }),
    ),
    api_version: Type.Optional(
      Type.String({
        pattern: API_VERSION_PATTERN,
        default: 'v1',
        description: API_VERSION_DESCRIPTION,
      }),
    ),
    type: Type.Optional(
      Type.String({ minLength: 1, description: 'Plugin type, e.g. `inventory.Collector`.' }),
    ),
    capabilities: Type.Optional(Type.Array(CapabilitySchema)),
    providers: Type.Optional(
      Type.Array(Type.String(), { description: 'Providers served: `aws`, `vmware`, …' }),
    ),
    labels: Type.Optional(Type.Array(Type.String())),
    tags: Type.Optional(Type.Record(Type.String(), Type.String())),
    icon: Type.Optional(Type.String()),
    runtime: Type.Optional(RuntimeSchema),
    requirements: Type.Optional(RequirementsSchema),
    configuration: Type.Optional(JsonSchemaObject),
    connection_parameters: Type.Optional(Type.Array(ConnectionParameterSchema)),
    authentication: Type.Optional(
      Type.Object(
        {
          methods: Type.Optional(Type.Array(Type.String())),
          required: Type.Optional(Type.Boolean()),
        },
        open,
      ),
    ),
    permissions: Type.Optional(PermissionsSchema),
    contacts: Type.Optional(ContactsSchema),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  {
    ...open,
    $id: 'https://plugboard.dev/schemas/manifest.schema.json',
    title: 'Plugboard plugin manifest',
  },
);

/** A capability entry of a manifest. */
export type Capability = Static<typeof CapabilitySchema>;
/** The `runtime` section of a manifest. */
export type Runtime = Static<typeof RuntimeSchema>;
/** The `requirements` section of a manifest. */
export type Requirements = Static<typeof RequirementsSchema>;
/** One entry of `connection_parameters`. */
export type ConnectionParameter = Static<typeof ConnectionParameterSchema>;
/** The `permissions` section of a manifest. */
export type Permissions = Static<typeof PermissionsSchema>;
/** The `contacts` section of a manifest. */
export type Contacts = Static<typeof ContactsSchema>;
/** Plugboard's native plugin manifest. */
export type PluginManifest = Static<typeof PluginManifestSchema>;
