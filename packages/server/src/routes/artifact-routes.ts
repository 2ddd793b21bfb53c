import { Readable } from 'node:stream';
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { PlugboardError } from '@plugboard/core';
import type { RouteModule } from './route-module.js';
import {
  ErrorResponse,
  NameVersionParams,
  PLUGIN_TAGS,
  RepositoryParameter,
} from './plugin-schemas.js';
import { readScope } from './request-scope.js';

const ArtifactQuery = Type.Object({ repository: Type.Optional(RepositoryParameter) });

/**
 * `GET /plugins/{name}/{version}/artifact`: the package, streamed from whichever repository
 * serves the plugin, with `Digest: sha-256=<base64>`, `ETag: "sha256:<hex>"` and
 * `Content-Length`; `If-None-Match` with the ETag answers 304 without a body.
 */
export const artifactRoutes: RouteModule = (api, context) => {
  api.get<{ Params: Static<typeof NameVersionParams>; Querystring: Static<typeof ArtifactQuery> }>(
    '/plugins/:name/:version/artifact',
    {
      schema: {
        summary: "Download a version's package (gzip tar)",
        tags: PLUGIN_TAGS,
        params: NameVersionParams,
        querystring: ArtifactQuery,
        produces: ['application/vnd.plugboard.plugin.v1+tar+gzip', 'application/octet-stream'],
        response: {
          200: { description: 'the package bytes', type: 'string', format: 'binary' },
          304: { description: 'the client already has these bytes (If-None-Match)', type: 'null' },
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const scope = readScope(request, context.config);
      const { name, version } = request.params;
      const { detail, source } = await context.catalog.get(scope, name, request.query.repository);
      const artifact = await source.artifact(scope, name, version);
      if (artifact === undefined) {
        const known = detail.versions.some((v) => v.version === version);
        throw known
          ? new PlugboardError(
              'NOT_FOUND',
              `${name}@${version} has no artifact: it is an image tag or registered metadata`,
              { details: { name, version } },
            )
          : new PlugboardError('VERSION_NOT_FOUND', `${name} has no version ${version}`, {
              details: { name, version },
            });
      }
      const etag = `"${artifact.digest}"`;
      void reply
        .header('etag', etag)
        .header('digest', `sha-256=${digestBase64(artifact.digest)}`)
        .header('cache-control', 'private, no-cache');
      if (matchesEtag(request.headers['if-none-match'], etag) || request.method === 'HEAD') {
        artifact.stream.destroy();
        if (request.method === 'HEAD') {
          // Fastify's HEAD handling keeps our Content-Length only for a stream payload; an empty
          // one spares reading the artifact just to discard it.
          return reply
            .status(200)
            .header('content-length', artifact.size)
            .type(artifact.mediaType)
            .send(Readable.from([]));
        }
        return reply.status(304).send();
      }
      return reply
        .header('content-length', artifact.size)
        .header('content-disposition', `attachment; filename="${fileName(name, version)}"`)
        .type(artifact.mediaType)
        .send(artifact.stream);
    },
  );
};

/** `sha256:<hex>` → the base64 of the raw hash, as RFC 3230's `Digest: sha-256=` wants. */
function digestBase64(digest: string): string {
  const hex = digest.startsWith('sha256:') ? digest.slice('sha256:'.length) : digest;
  return Buffer.from(hex, 'hex').toString('base64');
}

/** `If-None-Match: *`, a list, or weak validators (`W/"…"`) all count. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header
    .split(',')
    .map((candidate) => candidate.trim().replace(/^W\//, ''))
    .some((candidate) => candidate === '*' || candidate === etag);
}

function fileName(name: string, version: string): string {
  return `${name}-${version}.tgz`.replace(/[^A-Za-z0-9._+-]/g, '_');
}
