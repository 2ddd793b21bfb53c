import {
  REGISTRY_INDEX_FORMAT_VERSION,
  isPlugboardError,
  writeRegistryIndex,
  type RegistryIndex,
  type RegistryPlugin,
} from '@plugboard/core';
import { MAX_PLUGIN_PAGE_LIMIT } from '@plugboard/store';
import type { Catalog } from '../catalog/catalog.js';
import type { CatalogScope } from '../catalog/plugin-source.js';
import type { PluginDetail, PluginSummary } from '../catalog/plugin-view.js';
import type { RouteModule } from './route-module.js';
import { ErrorResponse, PLUGIN_TAGS } from './plugin-schemas.js';
import { apiBaseUrl, readScope, versionUrl } from './request-scope.js';

/** Plugin details read at once while writing the index. */
const DETAIL_CONCURRENCY = 16;

/** The API versions this server speaks, for `registry_metadata.supported_api_versions`. */
const SUPPORTED_API_VERSIONS = ['v1'];

/**
 * `GET /registry.json`: every plugin the caller can see as seed 003's registry index, written by
 * core's `writeRegistryIndex` (deterministic bytes), with absolute `manifest_url`s built from the
 * URL the client used.
 */
export const registryIndexRoutes: RouteModule = (api, context) => {
  api.get(
    '/registry.json',
    {
      schema: {
        summary: 'Every visible plugin as a registry index (seed 003 format)',
        tags: PLUGIN_TAGS,
        response: { 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request, reply) => {
      const scope = readScope(request, context.config);
      const base = apiBaseUrl(request, api.prefix);
      const index = await buildRegistryIndex(context.catalog, scope, base);
      return reply.type('application/json; charset=utf-8').send(writeRegistryIndex(index));
    },
  );
};

/** The registry index of everything `scope` sees, with URLs under `base` (`…/api/v1`). */
export async function buildRegistryIndex(
  catalog: Catalog,
  scope: CatalogScope,
  base: string,
): Promise<RegistryIndex> {
  const { summaries, complete } = await allSummaries(catalog, scope);
  const plugins: RegistryPlugin[] = [];
  for (let start = 0; start < summaries.length; start += DETAIL_CONCURRENCY) {
    const chunk = summaries.slice(start, start + DETAIL_CONCURRENCY);
    const details = await Promise.all(
      chunk.map(async (summary) => {
        try {
          return (await catalog.get(scope, summary.name, summary.repository_type)).detail;
        } catch (error) {
          // Gone between the list and now: leave it out.
          if (isPlugboardError(error, 'PLUGIN_NOT_FOUND')) return undefined;
          throw error;
        }
      }),
    );
    for (const detail of details) if (detail !== undefined) plugins.push(indexEntry(detail, base));
  }
  return {
    registry_version: REGISTRY_INDEX_FORMAT_VERSION,
    registry_metadata: {
      name: 'Plugboard',
      url: base,
      supported_api_versions: SUPPORTED_API_VERSIONS,
      ...(complete ? {} : { truncated: true }),
    },
    plugins,
  };
}

function indexEntry(detail: PluginDetail, base: string): RegistryPlugin {
  const listed = new Set(detail.versions.map((view) => view.version));
  const distTags = Object.fromEntries(
    Object.entries(detail.dist_tags).filter(([, version]) => listed.has(version)),
  );
  const metadata: Record<string, unknown> = {
    repository_type: detail.repository_type,
    display_name: detail.display_name,
    type: detail.type,
    providers: detail.providers.length === 0 ? undefined : detail.providers,
    labels: detail.labels.length === 0 ? undefined : detail.labels,
    capabilities: detail.capabilities.length === 0 ? undefined : detail.capabilities,
    icon: detail.icon,
    image: detail.image?.image,
  };
  for (const key of Object.keys(metadata)) if (metadata[key] === undefined) delete metadata[key];
  return {
    name: detail.name,
    description: detail.description,
    latest_version: detail.latest_version,
    dist_tags: Object.keys(distTags).length === 0 ? undefined : distTags,
    versions: detail.versions.map((view) => ({
      version: view.version,
      manifest_url: versionUrl(base, detail.name, view.version, 'manifest'),
      published: view.published,
      deprecated:
        view.deprecated === undefined || view.deprecated === '' ? undefined : view.deprecated,
      yanked: view.yanked ? (view.yank_reason ?? true) : undefined,
    })),
    metadata,
  };
}

/** Every plugin across repositories, page by page, as deep as a merged list may go. */
async function allSummaries(
  catalog: Catalog,
  scope: CatalogScope,
): Promise<{ summaries: PluginSummary[]; complete: boolean }> {
  const summaries: PluginSummary[] = [];
  for (let page = 1; ; page += 1) {
    let result;
    try {
      result = await catalog.list(scope, { page, limit: MAX_PLUGIN_PAGE_LIMIT });
    } catch (error) {
      // Deeper than a merged list can page: serve what was read, marked truncated.
      if (isPlugboardError(error, 'INVALID_ARGUMENT')) return { summaries, complete: false };
      throw error;
    }
    summaries.push(...result.plugins);
    if (result.plugins.length < MAX_PLUGIN_PAGE_LIMIT || summaries.length >= result.total) {
      return { summaries, complete: true };
    }
  }
}
