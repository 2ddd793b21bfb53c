import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { PlugboardError, isValidVersion } from '@plugboard/core';
import { DEFAULT_PLUGIN_PAGE_LIMIT } from '@plugboard/store';
import type { ServerContext } from '../app/server-context.js';
import type { CatalogPage } from '../catalog/catalog.js';
import type { CatalogScope } from '../catalog/plugin-source.js';
import { resolveInDetail, type DetailResolution } from '../catalog/resolution-cache.js';
import type { PluginDetail, PluginSummary, RepositoryType } from '../catalog/plugin-view.js';
import type { RouteModule } from './route-module.js';
import {
  ErrorResponse,
  JsonObjectSchema,
  ListPluginsQuery,
  NameParams,
  NameVersionParams,
  PagingQuery,
  PLUGIN_TAGS,
  PluginDetailResponse,
  PluginListResponse,
  RepositoryParameter,
  ResolveResponse,
  SearchQuery,
  SUMMARY_FIELDS,
  VersionListResponse,
} from './plugin-schemas.js';
import { apiBaseUrl, readScope, versionUrl } from './request-scope.js';
import { SerializedViews } from './serialized-views.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

const DetailQuery = Type.Object({ repository: Type.Optional(RepositoryParameter) });
const ResolveQuery = Type.Object({
  spec: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 256,
      description: 'a version, range (^1.2, >=1 <2), latest or a channel; latest by default',
    }),
  ),
  repository: Type.Optional(RepositoryParameter),
});
const VersionsQuery = Type.Object({
  ...PagingQuery,
  repository: Type.Optional(RepositoryParameter),
});

/**
 * Reading plugins across repositories (seeds 000, 003): `GET /plugins`, `GET /search`,
 * `GET /plugins/{name}`, `…/versions`, `…/{version}/manifest` and `…/resolve`.
 */
export const pluginReadRoutes: RouteModule = (api, context) => {
  const details = new SerializedViews<PluginDetail>();
  const pages = new SerializedViews<CatalogPage>();
  const resolutions = new SerializedViews<DetailResolution>();
  api.get<{ Querystring: Static<typeof ListPluginsQuery> }>(
    '/plugins',
    {
      schema: {
        summary: 'List plugins across LOCAL, MANAGED and REMOTE repositories',
        tags: PLUGIN_TAGS,
        querystring: ListPluginsQuery,
        response: { 200: PluginListResponse, ...errors },
      },
    },
    async (request, reply) => {
      const scope = readScope(request, context.config);
      const { fields, ...query } = request.query;
      const selected = parseFields(fields);
      const limit = query.limit ?? DEFAULT_PLUGIN_PAGE_LIMIT;
      const page = query.page ?? 1;
      const result = await context.catalog.list(scope, { ...query, page, limit });
      // page and limit are part of the catalog's query, so one result object has one of each.
      return pages.send(
        reply,
        result,
        () => ({
          plugins:
            selected === undefined
              ? result.plugins
              : result.plugins.map((plugin) => pick(plugin, selected)),
          total: result.total,
          page,
          limit,
          warnings: result.warnings,
        }),
        selected?.join(',') ?? '',
      );
    },
  );

  api.get<{ Querystring: Static<typeof SearchQuery> }>(
    '/search',
    {
      schema: {
        summary: 'Search plugins by text and provider (seed 003)',
        tags: PLUGIN_TAGS,
        querystring: SearchQuery,
        response: { 200: PluginListResponse, ...errors },
      },
    },
    async (request, reply) => {
      const scope = readScope(request, context.config);
      const limit = request.query.limit ?? DEFAULT_PLUGIN_PAGE_LIMIT;
      const page = request.query.page ?? 1;
      const result = await context.catalog.list(scope, { ...request.query, page, limit });
      return pages.send(reply, result, () => ({ ...result, page, limit }), 'search');
    },
  );

  api.get<{ Params: Static<typeof NameParams>; Querystring: Static<typeof DetailQuery> }>(
    '/plugins/:name',
    {
      schema: {
        summary: 'One plugin with its versions, dist-tags and manifest',
        tags: PLUGIN_TAGS,
        params: NameParams,
        querystring: DetailQuery,
        response: { 200: PluginDetailResponse, ...errors },
      },
    },
    async (request, reply) => {
      const scope = readScope(request, context.config);
      const detail = await findPlugin(
        context,
        scope,
        request.params.name,
        request.query.repository,
      );
      return details.send(reply, detail, detailResponse);
    },
  );

  api.get<{ Params: Static<typeof NameParams>; Querystring: Static<typeof VersionsQuery> }>(
    '/plugins/:name/versions',
    {
      schema: {
        summary: 'The versions of a plugin, highest first',
        tags: PLUGIN_TAGS,
        params: NameParams,
        querystring: VersionsQuery,
        response: { 200: VersionListResponse, ...errors },
      },
    },
    async (request) => {
      const scope = readScope(request, context.config);
      const detail = await findPlugin(
        context,
        scope,
        request.params.name,
        request.query.repository,
      );
      const limit = request.query.limit ?? DEFAULT_PLUGIN_PAGE_LIMIT;
      const page = request.query.page ?? 1;
      const offset = (page - 1) * limit;
      return {
        versions: detail.versions.slice(offset, offset + limit),
        total: detail.versions.length,
        page,
        limit,
        warnings: warningsOf(detail),
      };
    },
  );

  api.get<{ Params: Static<typeof NameVersionParams>; Querystring: Static<typeof DetailQuery> }>(
    '/plugins/:name/:version/manifest',
    {
      schema: {
        summary: 'The manifest of one version (a version, or a spec such as latest)',
        tags: PLUGIN_TAGS,
        params: NameVersionParams,
        querystring: DetailQuery,
        response: { 200: JsonObjectSchema, ...errors },
      },
    },
    async (request) => {
      const scope = readScope(request, context.config);
      const { name, version: asked } = request.params;
      const found = await context.catalog.get(scope, name, request.query.repository);
      // A spec (latest, ^1.2, beta) is resolved first, so /plugins/x/latest/manifest works.
      const version = isValidVersion(asked)
        ? asked
        : resolveInDetail(found.detail, asked, name).version;
      const manifest = await found.source.manifest(scope, name, version);
      if (manifest === undefined) {
        throw new PlugboardError(
          'VERSION_NOT_FOUND',
          `plugin "${name}" has no version ${version} in the ${found.source.ref.type} repository`,
          { details: { name, version, repository_type: found.source.ref.type } },
        );
      }
      return manifest;
    },
  );

  api.get<{ Params: Static<typeof NameParams>; Querystring: Static<typeof ResolveQuery> }>(
    '/plugins/:name/resolve',
    {
      schema: {
        summary: 'Resolve a version spec (exact, range, latest, channel) by core rules',
        tags: PLUGIN_TAGS,
        params: NameParams,
        querystring: ResolveQuery,
        response: { 200: ResolveResponse, ...errors },
      },
    },
    async (request, reply) => {
      const scope = readScope(request, context.config);
      const { name } = request.params;
      const spec = request.query.spec ?? 'latest';
      const detail = await findPlugin(context, scope, name, request.query.repository);
      const resolved = resolveInDetail(detail, spec, name);
      const base = apiBaseUrl(request, api.prefix);
      // A remembered resolution belongs to one detail object, so its answer is fixed but for
      // the URLs, which follow the address the client used.
      return resolutions.send(
        reply,
        resolved,
        () => {
          const view = resolved.candidate.view;
          return {
            name,
            version: resolved.version,
            warnings: [...warningsOf(detail), ...resolved.warnings],
            repository_type: detail.repository_type,
            digest: view.digest,
            manifest_url: versionUrl(base, name, resolved.version, 'manifest'),
            artifact_url:
              view.digest === undefined
                ? undefined
                : versionUrl(base, name, resolved.version, 'artifact'),
          };
        },
        base,
      );
    },
  );
};

/** The plugin as the highest-priority repository visible to `scope` has it. */
export async function findPlugin(
  context: ServerContext,
  scope: CatalogScope,
  name: string,
  repository?: RepositoryType,
): Promise<PluginDetail> {
  return (await context.catalog.get(scope, name, repository)).detail;
}

/** A detail as the API answers it: caveats met while reading it in `warnings`. */
export function detailResponse(detail: PluginDetail): PluginDetail & { warnings: string[] } {
  return { ...detail, warnings: warningsOf(detail) };
}

/** Caveats a source attached to a detail (an image registry that could not be read). */
function warningsOf(detail: PluginDetail): string[] {
  const warnings = (detail as { warnings?: unknown }).warnings;
  return Array.isArray(warnings) ? warnings.filter((w): w is string => typeof w === 'string') : [];
}

/** The `fields` column selection; INVALID_ARGUMENT names an unknown column. */
function parseFields(fields: string | undefined): string[] | undefined {
  if (fields === undefined || fields.trim() === '') return undefined;
  const names = fields.split(',').map((field) => field.trim());
  const unknown = names.filter((field) => !SUMMARY_FIELDS.includes(field));
  if (unknown.length > 0) {
    throw new PlugboardError(
      'INVALID_ARGUMENT',
      `fields: unknown field(s) ${unknown.map((f) => JSON.stringify(f)).join(', ')}; choose from ${SUMMARY_FIELDS.join(', ')}`,
      { details: { field: 'fields', unknown } },
    );
  }
  return [...new Set(names)];
}

function pick(plugin: PluginSummary, fields: readonly string[]): Partial<PluginSummary> {
  const source = plugin as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of fields) out[field] = source[field];
  return out;
}
