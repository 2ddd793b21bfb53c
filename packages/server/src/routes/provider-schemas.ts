import { Type } from '@sinclair/typebox';
import { MAX_PROVIDER_PAGE_LIMIT, RUN_STATES } from '@plugboard/store';
import { stringEnum } from './plugin-schemas.js';

/**
 * JSON schemas of the provider, run, resource and provider-plugin routes (seed 004): bodies and
 * query strings are validated, responses serialized and documented by them.
 */

/** `page` and `limit` of provider, run and resource lists. */
export const ProviderPagingQuery = {
  page: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1_000_000, description: '1-based page' }),
  ),
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_PROVIDER_PAGE_LIMIT,
      description: `page size, 1 to ${MAX_PROVIDER_PAGE_LIMIT}`,
    }),
  ),
};

const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, ...(description === undefined ? {} : { description }) });

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const Json = Type.Unknown();
const JsonObject = Type.Record(Type.String(), Json);

/** Fields of a provider in a request body. */
const providerFields = {
  name: Text(200, 'unique within the tenant'),
  infrastructure: Type.Optional(Nullable(Text(100, 'e.g. private_cloud, public_cloud'))),
  vendor: Text(100, 'the plugin key is vendor:provider_type'),
  provider_type: Text(100),
  endpoint: Type.Optional(Nullable(Text(2048, 'host name or URL of the managed system'))),
  organization: Type.Optional(
    Type.Union([Type.Integer(), Text(200), Type.Null()], {
      description: 'the owning organisation',
    }),
  ),
  connection_config: Type.Optional(
    Type.Object(
      {},
      {
        additionalProperties: true,
        description:
          "checked against the plugin's connection_parameters; secret ones are encrypted at rest and shown as ********",
      },
    ),
  ),
  enabled: Type.Optional(Type.Boolean()),
};

/** Body of `POST /providers`. */
export const CreateProviderBody = Type.Object(providerFields, { additionalProperties: false });

/** Body of `PATCH|PUT /providers/{id}`: every field optional. */
export const UpdateProviderBody = Type.Partial(Type.Object(providerFields), {
  additionalProperties: false,
});

/** A provider as responses show it. */
export const ProviderViewSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  infrastructure: Type.Union([Type.String(), Type.Null()]),
  vendor: Type.String(),
  provider_type: Type.String(),
  plugin_key: Type.String(),
  endpoint: Type.Union([Type.String(), Type.Null()]),
  organization: Json,
  connection_config: JsonObject,
  secret_parameters: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  plugin: Type.Object({
    installed: Type.Boolean(),
    name: Type.Optional(Type.String()),
    version: Type.Optional(Type.String()),
  }),
  created_at: Type.String(),
  updated_at: Type.String(),
});

/** A provider with the request's warnings (create and update). */
export const ProviderWriteResponse = Type.Composite([
  ProviderViewSchema,
  Type.Object({ warnings: Type.Array(Type.String()) }),
]);

/** `GET /providers`. */
export const ProviderListResponse = Type.Object({
  providers: Type.Array(ProviderViewSchema),
  total: Type.Integer(),
  page: Type.Integer(),
  limit: Type.Integer(),
  warnings: Type.Array(Type.String()),
});

const Counts = {
  found: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  removed: Type.Integer(),
  invalid: Type.Integer({ description: 'values the plugin yielded that were not resources' }),
};

/** A collection run as responses show it. */
export const RunViewSchema = Type.Object({
  id: Type.String(),
  provider_id: Type.String(),
  state: stringEnum(RUN_STATES),
  plugin_key: Type.String(),
  plugin_version: Type.Union([Type.String(), Type.Null()]),
  resource_types: Type.Union([Type.Array(Type.String()), Type.Null()]),
  ...Counts,
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  cancel_requested: Type.Boolean(),
  requested_by: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  started_at: Type.Union([Type.String(), Type.Null()]),
  finished_at: Type.Union([Type.String(), Type.Null()]),
  duration_ms: Type.Union([Type.Integer(), Type.Null()]),
});

/** `GET /runs`. */
export const RunListResponse = Type.Object({
  runs: Type.Array(RunViewSchema),
  total: Type.Integer(),
  page: Type.Integer(),
  limit: Type.Integer(),
  warnings: Type.Array(Type.String()),
});

const Link = Type.Object({
  type: Type.String(),
  target_ems_ref: Type.String(),
  target_id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});

/** A resource as responses show it. */
export const ResourceViewSchema = Type.Object({
  id: Type.String(),
  provider_id: Type.String(),
  ems_ref: Type.String(),
  resource_type: Type.String(),
  name: Type.String(),
  state: Type.Union([Type.String(), Type.Null()]),
  properties: JsonObject,
  relationships: Type.Array(Link),
  parent_ems_ref: Type.Union([Type.String(), Type.Null()]),
  tags: Type.Record(Type.String(), Type.String()),
  first_seen_at: Type.String(),
  last_seen_at: Type.String(),
  last_seen_run_id: Type.String(),
  updated_at: Type.String(),
  deleted: Type.Boolean(),
  deleted_at: Type.Union([Type.String(), Type.Null()]),
});

/** `GET /resources`. */
export const ResourceListResponse = Type.Object({
  resources: Type.Array(ResourceViewSchema),
  total: Type.Integer(),
  page: Type.Integer(),
  limit: Type.Integer(),
  warnings: Type.Array(Type.String()),
});

/** `GET /resources/{id}`: the resource, its parent's id and its drift history. */
export const ResourceDetailResponse = Type.Composite([
  ResourceViewSchema,
  Type.Object({
    parent_id: Type.Union([Type.String(), Type.Null()]),
    drift: Type.Array(
      Type.Object({
        run_id: Type.String(),
        field: Type.String(),
        old_value: Json,
        new_value: Json,
        changed_at: Type.String(),
      }),
    ),
  }),
]);

const pluginSummaryFields = {
  key: Type.String({ description: 'vendor:provider_type' }),
  vendor: Type.String(),
  provider_type: Type.String(),
  name: Type.String(),
  version: Type.Union([Type.String(), Type.Null()]),
  description: Type.Union([Type.String(), Type.Null()]),
  resource_types: Type.Array(Type.String()),
  instances: Type.Integer({ description: 'providers of the caller’s tenant bound to it' }),
  installed_at: Type.String(),
};

/** A provider plugin in lists. */
export const PluginSummarySchema = Type.Object(pluginSummaryFields);

/** `GET /provider-plugins`. */
export const PluginListResponse = Type.Object({
  plugins: Type.Array(PluginSummarySchema),
  total: Type.Integer(),
  page: Type.Integer(),
  limit: Type.Integer(),
  warnings: Type.Array(Type.String()),
});

/** `GET /provider-plugins/{key}`. */
export const PluginDetailResponse = Type.Object({
  ...pluginSummaryFields,
  display_name: Type.Union([Type.String(), Type.Null()]),
  connection_parameters: Type.Array(JsonObject),
  dependencies: Type.Object({ plugins: Type.Array(JsonObject), packages: Json }),
  requirements: Json,
  runtime: Json,
  entrypoint: Type.Union([Type.String(), Type.Null()]),
  endpoints: Type.Array(Type.String()),
  warnings: Type.Array(Type.String()),
});

/** `POST /provider-plugins/upload`. */
export const PluginUploadResponse = Type.Object({
  ...pluginSummaryFields,
  class_path: Type.Union([Type.String(), Type.Null()], {
    description: 'the entrypoint inside the package (seed 004 shows a Python class path here)',
  }),
  replaced: Type.Union([
    Type.Object({ name: Type.String(), version: Type.Union([Type.String(), Type.Null()]) }),
    Type.Null(),
  ]),
  warnings: Type.Array(Type.String()),
});

/** `DELETE /provider-plugins/{key}`. */
export const PluginDeleteResponse = Type.Object({
  deleted: PluginSummarySchema,
  orphaned_providers: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), domain_id: Type.String() }),
  ),
});

/** `POST /provider-plugins/{key}/test`. */
export const PluginTestResponse = Type.Object({
  key: Type.String(),
  results: Type.Array(
    Type.Object({
      provider_id: Type.String(),
      name: Type.String(),
      ok: Type.Boolean(),
      message: Type.Optional(Type.String()),
      error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
    }),
  ),
});

/** `POST /provider-plugins/refresh`. */
export const PluginRefreshResponse = Type.Object({
  plugins: Type.Array(PluginSummarySchema),
  problems: Type.Array(
    Type.Object({ path: Type.String(), code: Type.String(), message: Type.String() }),
  ),
});
