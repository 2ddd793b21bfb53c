import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { CHANNEL_NAME_PATTERN, PlugboardError, isPlugboardError } from '@plugboard/core';
import type { ServerContext } from '../app/server-context.js';
import { requireRole } from '../auth/principal.js';
import { toVersionView } from '../repositories/local/plugin-views.js';
import type { RouteModule } from './route-module.js';
import {
  ErrorResponse,
  NameVersionParams,
  PLUGIN_TAGS,
  VersionViewSchema,
} from './plugin-schemas.js';

/** Longest yank reason or deprecation message, in characters. */
export const MAX_VERSION_NOTE_CHARS = 1000;

const YankBody = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: MAX_VERSION_NOTE_CHARS })) },
  { additionalProperties: false },
);
const DeprecateBody = Type.Object(
  {
    message: Type.String({
      maxLength: MAX_VERSION_NOTE_CHARS,
      description: 'why and what to use instead; an empty message lifts the deprecation',
    }),
  },
  { additionalProperties: false },
);
const TagParams = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 256 }),
  tag: Type.String({ pattern: CHANNEL_NAME_PATTERN, maxLength: 64 }),
});
const DistTagBody = Type.Object(
  { version: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
const VersionResponse = Type.Composite([Type.Object({ name: Type.String() }), VersionViewSchema]);
const DistTagsResponse = Type.Object({
  name: Type.String(),
  dist_tags: Type.Record(Type.String(), Type.String()),
});
const errors = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
};
const tags = [...PLUGIN_TAGS, 'publish'];

/**
 * Changing published versions of LOCAL plugins (publisher role, seed 003): yank and unyank,
 * deprecate, and dist-tags. MANAGED and REMOTE plugins are read-only here (409).
 */
export const versionAdminRoutes: RouteModule = (api, context) => {
  api.post<{ Params: Static<typeof NameVersionParams>; Body: Static<typeof YankBody> }>(
    '/plugins/:name/:version/yank',
    {
      schema: {
        summary: 'Yank a version: resolution skips it unless it is asked for exactly',
        tags,
        params: NameVersionParams,
        body: YankBody,
        response: { 200: VersionResponse, ...errors },
      },
      // The reason is optional, so is the body: `curl -X POST …/yank` is a yank without reason.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const domainId = requireRole(request.principal, 'publisher').domainId;
      const { name, version } = request.params;
      const record = await local(context, domainId, name, () =>
        context.store.yankVersion(domainId, name, version, request.body.reason),
      );
      return { name, ...toVersionView(record) };
    },
  );

  api.delete<{ Params: Static<typeof NameVersionParams> }>(
    '/plugins/:name/:version/yank',
    {
      schema: {
        summary: 'Lift a yank',
        tags,
        params: NameVersionParams,
        response: { 200: VersionResponse, ...errors },
      },
    },
    async (request) => {
      const domainId = requireRole(request.principal, 'publisher').domainId;
      const { name, version } = request.params;
      const record = await local(context, domainId, name, () =>
        context.store.unyankVersion(domainId, name, version),
      );
      return { name, ...toVersionView(record) };
    },
  );

  api.post<{ Params: Static<typeof NameVersionParams>; Body: Static<typeof DeprecateBody> }>(
    '/plugins/:name/:version/deprecate',
    {
      schema: {
        summary: 'Deprecate a version with a message (an empty message lifts it)',
        tags,
        params: NameVersionParams,
        body: DeprecateBody,
        response: { 200: VersionResponse, ...errors },
      },
    },
    async (request) => {
      const domainId = requireRole(request.principal, 'publisher').domainId;
      const { name, version } = request.params;
      const record = await local(context, domainId, name, () =>
        context.store.deprecateVersion(domainId, name, version, request.body.message),
      );
      return { name, ...toVersionView(record) };
    },
  );

  api.put<{ Params: Static<typeof TagParams>; Body: Static<typeof DistTagBody> }>(
    '/plugins/:name/dist-tags/:tag',
    {
      schema: {
        summary: 'Point a dist-tag (latest, beta, …) at a published version',
        tags,
        params: TagParams,
        body: DistTagBody,
        response: { 200: DistTagsResponse, ...errors },
      },
    },
    async (request) => {
      const domainId = requireRole(request.principal, 'publisher').domainId;
      const { name, tag } = request.params;
      const distTags = await local(context, domainId, name, async () => {
        await context.store.setDistTag(domainId, name, tag, request.body.version);
        return context.store.getDistTags(domainId, name);
      });
      return { name, dist_tags: distTags };
    },
  );

  api.delete<{ Params: Static<typeof TagParams> }>(
    '/plugins/:name/dist-tags/:tag',
    {
      schema: {
        summary: 'Remove a dist-tag',
        tags,
        params: TagParams,
        response: { 200: DistTagsResponse, ...errors },
      },
    },
    async (request) => {
      const domainId = requireRole(request.principal, 'publisher').domainId;
      const { name, tag } = request.params;
      const distTags = await local(context, domainId, name, async () => {
        await context.store.deleteDistTag(domainId, name, tag);
        return context.store.getDistTags(domainId, name);
      });
      return { name, dist_tags: distTags };
    },
  );
};

/**
 * Runs a change on the caller's LOCAL plugin. When the domain has no such LOCAL plugin but another
 * repository serves the name, the answer is CONFLICT (that repository is read-only), not 404.
 */
async function local<T>(
  context: ServerContext,
  domainId: string,
  name: string,
  change: () => Promise<T>,
): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (
      !isPlugboardError(error) ||
      (error.code !== 'PLUGIN_NOT_FOUND' && error.code !== 'VERSION_NOT_FOUND') ||
      (await context.store.getPlugin(domainId, name)) !== undefined
    ) {
      throw error;
    }
    const elsewhere = await context.catalog
      .get({ domainId }, name)
      .then(({ detail }) => detail.repository_type)
      .catch(() => undefined);
    if (elsewhere === undefined || elsewhere === 'LOCAL') throw error;
    throw new PlugboardError(
      'CONFLICT',
      `plugin "${name}" is served by the ${elsewhere} repository, which is read-only; yank, deprecate and dist-tags change LOCAL plugins`,
      { details: { name, repository_type: elsewhere } },
    );
  }
}
