import { Type, type TSchema, type TUnsafe } from '@sinclair/typebox';
import { MAX_PLUGIN_PAGE_LIMIT, PLUGIN_SORT_FIELDS } from '@plugboard/store';
import { REPOSITORY_TYPES } from '../catalog/plugin-view.js';

/**
 * JSON schemas of the plugin routes: query strings (validated, so a bad value is a 400 naming
 * the field) and responses (serialized by them, and documented in the OpenAPI document).
 */

/** Longest filter value accepted in a query string, in characters. */
export const MAX_FILTER_CHARS = 200;

/** The API tag of every plugin route. */
export const PLUGIN_TAGS = ['plugins'];

/** A string restricted to `values`, as one `enum` (clearer validation messages than `anyOf`). */
export function stringEnum<T extends string>(
  values: readonly T[],
  options: { description?: string } = {},
): TUnsafe<T> {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}

const filter = (description: string) =>
  Type.Optional(Type.String({ maxLength: MAX_FILTER_CHARS, description }));

/** `page` and `limit` of every list. */
export const PagingQuery = {
  page: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1_000_000, description: '1-based page' }),
  ),
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_PLUGIN_PAGE_LIMIT,
      description: `page size, 1 to ${MAX_PLUGIN_PAGE_LIMIT}`,
    }),
  ),
};

/** `?repository=` */
export const RepositoryParameter = stringEnum(REPOSITORY_TYPES, {
  description: 'only plugins of this repository type',
});

/** The query of `GET /plugins`. */
export const ListPluginsQuery = Type.Object({
  q: filter('case-insensitive text in the name, display name, description or a label'),
  provider: filter('exact provider, e.g. aws'),
  type: filter('exact plugin type, e.g. inventory.Collector'),
  capability: filter('exact capability type, e.g. provider'),
  label: filter('exact label'),
  repository: Type.Optional(RepositoryParameter),
  state: Type.Optional(stringEnum(['enabled', 'disabled'] as const)),
  sort: Type.Optional(stringEnum(PLUGIN_SORT_FIELDS)),
  order: Type.Optional(stringEnum(['asc', 'desc'] as const)),
  ...PagingQuery,
  fields: Type.Optional(
    Type.String({
      maxLength: 1000,
      description:
        'comma-separated plugin fields to return (column selection), e.g. name,latest_version',
    }),
  ),
});

/** The query of `GET /search` (seed 003). */
export const SearchQuery = Type.Object({
  q: filter('case-insensitive text in the name, display name, description or a label'),
  provider: filter('exact provider, e.g. aws'),
  ...PagingQuery,
});

/** `{name}` in a path. */
export const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 256 }) });

/** `{name}/{version}` in a path. */
export const NameVersionParams = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 256 }),
  version: Type.String({ minLength: 1, maxLength: 256 }),
});

const RepositoryRefSchema = Type.Object({
  type: stringEnum(REPOSITORY_TYPES),
  id: Type.String(),
  name: Type.String(),
});

const optional = <T extends TSchema>(schema: T) => Type.Optional(schema);

/** Every field of a plugin view; those always present are listed in `ALWAYS_PRESENT`. */
const SUMMARY_PROPERTIES = {
  name: Type.String(),
  display_name: Type.String(),
  description: Type.String(),
  type: Type.String(),
  providers: Type.Array(Type.String()),
  labels: Type.Array(Type.String()),
  capabilities: Type.Array(Type.String()),
  tags: Type.Record(Type.String(), Type.String()),
  icon: Type.String(),
  enabled: Type.Boolean(),
  state: stringEnum(['enabled', 'disabled'] as const),
  repository_type: stringEnum(REPOSITORY_TYPES),
  repository: RepositoryRefSchema,
  latest_version: Type.String(),
  deprecated: Type.Boolean(),
  signed: Type.Boolean(),
  image: Type.Object({ image: Type.String(), registry_type: optional(Type.String()) }),
  created_at: Type.String(),
  updated_at: Type.String(),
};

const ALWAYS_PRESENT = new Set([
  'name',
  'providers',
  'labels',
  'capabilities',
  'tags',
  'enabled',
  'state',
  'repository_type',
  'repository',
  'deprecated',
  'signed',
]);

/** Every field of a plugin in a list, each optional (the `fields` selection may drop any). */
export const PluginSummarySchema = Type.Object(
  Object.fromEntries(
    Object.entries(SUMMARY_PROPERTIES).map(([key, schema]) => [key, optional(schema)]),
  ),
);

/** The fields a `fields` selection may name. */
export const SUMMARY_FIELDS: readonly string[] = Object.freeze(
  Object.keys(PluginSummarySchema.properties),
);

/** One version of a plugin. */
export const VersionViewSchema = Type.Object({
  version: Type.String(),
  published: optional(Type.String()),
  yanked: Type.Boolean(),
  yank_reason: optional(Type.String()),
  deprecated: optional(Type.String()),
  digest: optional(Type.String()),
  size: optional(Type.Integer()),
  signatures: Type.Array(Type.Object({ key_id: Type.String(), signature: Type.String() })),
});

/** Free-form JSON object (a manifest). */
export const JsonObjectSchema = Type.Object({}, { additionalProperties: true });

const Warnings = Type.Array(Type.String());

/** `GET /plugins` and `GET /search`. */
export const PluginListResponse = Type.Object({
  plugins: Type.Array(PluginSummarySchema),
  total: Type.Integer(),
  page: Type.Integer(),
  limit: Type.Integer(),
  warnings: Warnings,
});

/** `GET /plugins/{name}` and the write routes' answers. */
export const PluginDetailResponse = Type.Object({
  ...Object.fromEntries(
    Object.entries(SUMMARY_PROPERTIES).map(([key, schema]) => [
      key,
      ALWAYS_PRESENT.has(key) ? schema : optional(schema),
    ]),
  ),
  versions: Type.Array(VersionViewSchema),
  dist_tags: Type.Record(Type.String(), Type.String()),
  manifest: JsonObjectSchema,
  warnings: Warnings,
});

/** `GET /plugins/{name}/versions`. */
export const VersionListResponse = Type.Object({
  versions: Type.Array(VersionViewSchema),
  total: Type.Integer(),
  page: Type.Integer(),
  limit: Type.Integer(),
  warnings: Warnings,
});

/** `GET /plugins/{name}/resolve`. */
export const ResolveResponse = Type.Object({
  name: Type.String(),
  version: Type.String(),
  warnings: Warnings,
  repository_type: stringEnum(REPOSITORY_TYPES),
  digest: optional(Type.String()),
  manifest_url: Type.String(),
  artifact_url: optional(Type.String()),
});

/** The error body every route may answer with. */
export const ErrorResponse = Type.Object({
  error: Type.Object(
    {
      code: Type.String(),
      message: Type.String(),
      details: optional(JsonObjectSchema),
      requestId: optional(Type.String()),
    },
    { additionalProperties: true },
  ),
});
