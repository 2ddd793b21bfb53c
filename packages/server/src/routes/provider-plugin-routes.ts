import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PlugboardError } from '@plugboard/core';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DEFAULT_DOMAIN_ID } from '../auth/authenticate.js';
import { requireRole, type Principal } from '../auth/principal.js';
import type { InstalledProviderPlugin } from '../providers/installed-provider-plugin.js';
import type { ProviderService } from '../providers/provider-service.js';
import { pluginDetailView, pluginView } from '../providers/provider-view.js';
import { requireMultipartBoundary } from './multipart-boundary.js';
import { ErrorResponse } from './plugin-schemas.js';
import { mountRoutes, type ProviderRouteStyle } from './provider-route-paths.js';
import {
  PluginDeleteResponse,
  PluginDetailResponse,
  PluginListResponse,
  PluginRefreshResponse,
  PluginTestResponse,
  PluginUploadResponse,
} from './provider-schemas.js';

const tags = ['provider plugins'];

/** Multipart fields that may hold the uploaded package (seed 004 uses `plugin`). */
const UPLOAD_FIELDS = new Set(['plugin', 'package']);

const KeyParams = Type.Object({
  key: Type.String({ minLength: 3, maxLength: 201, description: 'vendor:provider_type' }),
});
type KeyParams = Static<typeof KeyParams>;

const ForceQuery = Type.Object({
  force: Type.Optional(Type.Boolean({ default: false })),
});
type ForceQuery = Static<typeof ForceQuery>;

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

/**
 * Installing code that runs on the server is a server-wide act: it needs the admin role in the
 * default domain (the admin password or a default-domain admin token), not any tenant's admin.
 */
function requireServerAdmin(principal: Principal | undefined): Principal {
  const admin = requireRole(principal, 'admin');
  if (admin.domainId !== DEFAULT_DOMAIN_ID) {
    throw new PlugboardError(
      'FORBIDDEN',
      `managing provider plugins needs an admin of the "${DEFAULT_DOMAIN_ID}" domain`,
      { details: { needed: 'admin', domain: DEFAULT_DOMAIN_ID } },
    );
  }
  return admin;
}

/**
 * `/provider-plugins` (seed 004's plugin management API): list with instance counts, detail,
 * upload (tar.gz or zip; hot-loaded; 409 unless `force`), delete (409 while providers use it
 * unless `force`), test connections, refresh.
 */
export function registerProviderPluginRoutes(
  scope: FastifyInstance,
  providers: ProviderService,
  style: ProviderRouteStyle,
  maxUploadBytes: number,
): void {
  const registry = providers.plugins;
  const instanceCounts = async (domainId: string): Promise<Map<string, number>> => {
    const usage = await providers.store.countProvidersByPlugin(domainId);
    return new Map(usage.map((u) => [`${u.vendor}:${u.providerType}`, u.count]));
  };
  const installed = (key: string): InstalledProviderPlugin => {
    const plugin = registry.get(key);
    if (plugin === undefined) {
      throw new PlugboardError('PLUGIN_NOT_FOUND', `no provider plugin "${key}" is installed`, {
        details: { key },
      });
    }
    return plugin;
  };

  mountRoutes(scope, style, [
    {
      method: 'GET',
      url: '/provider-plugins',
      schema: {
        summary: 'List installed provider plugins with the number of providers using each',
        tags,
        response: { 200: PluginListResponse, ...errors },
      },
      handler: async (request) => {
        const { domainId } = requireRole(request.principal, 'reader');
        const counts = await instanceCounts(domainId);
        const plugins = registry.list().map((p) => pluginView(p, counts.get(p.key) ?? 0));
        return {
          plugins,
          total: plugins.length,
          page: 1,
          limit: plugins.length,
          warnings: registry.problems().map((p) => `${p.path}: ${p.message}`),
        };
      },
    },
    {
      method: 'POST',
      url: '/provider-plugins/upload',
      schema: {
        summary: 'Upload a provider plugin package (tar.gz or zip) and hot-load it',
        description:
          'multipart/form-data with the file in field "plugin" (or "package"), or the package as the raw body (application/gzip, application/zip, application/octet-stream). 409 naming the installed plugin when its vendor:provider_type is taken, unless ?force=true. A failed upload changes nothing.',
        tags,
        querystring: ForceQuery,
        response: { 201: PluginUploadResponse, 409: ErrorResponse, 413: ErrorResponse, ...errors },
      },
      handler: async (request, reply) => {
        requireServerAdmin(request.principal);
        const { force = false } = request.query as ForceQuery;
        const file = join(registry.uploadDir, `upload-${randomBytes(8).toString('hex')}`);
        try {
          await receivePackage(request, file, maxUploadBytes);
          const { plugin, replaced } = await registry.install(file, { force });
          const counts = await instanceCounts(request.principal?.domainId ?? DEFAULT_DOMAIN_ID);
          void reply.status(201);
          return {
            ...pluginView(plugin, counts.get(plugin.key) ?? 0),
            class_path: plugin.entrypoint ?? null,
            replaced:
              replaced === undefined
                ? null
                : { name: replaced.name, version: replaced.version ?? null },
            warnings: plugin.warnings,
          };
        } finally {
          await rm(file, { force: true });
        }
      },
    },
    {
      method: 'POST',
      url: '/provider-plugins/refresh',
      schema: {
        summary: 'Re-scan the installed plugins (picks up files changed on disk)',
        tags,
        response: { 200: PluginRefreshResponse, ...errors },
      },
      handler: async (request) => {
        const { domainId } = requireServerAdmin(request.principal);
        const result = await registry.refresh();
        const counts = await instanceCounts(domainId);
        return {
          plugins: result.plugins.map((p) => pluginView(p, counts.get(p.key) ?? 0)),
          problems: result.problems.map((p) => ({
            path: p.path,
            code: p.code,
            message: p.message,
          })),
        };
      },
    },
    {
      method: 'GET',
      url: '/provider-plugins/:key',
      schema: {
        summary: 'A provider plugin: resource types, connection parameters, dependencies',
        tags,
        params: KeyParams,
        response: { 200: PluginDetailResponse, ...errors },
      },
      handler: async (request) => {
        const { domainId } = requireRole(request.principal, 'reader');
        const plugin = installed((request.params as KeyParams).key);
        const counts = await instanceCounts(domainId);
        return pluginDetailView(plugin, counts.get(plugin.key) ?? 0);
      },
    },
    {
      method: 'DELETE',
      url: '/provider-plugins/:key',
      schema: {
        summary: 'Remove a provider plugin (409 while providers use it, unless ?force=true)',
        tags,
        params: KeyParams,
        querystring: ForceQuery,
        response: { 200: PluginDeleteResponse, 409: ErrorResponse, ...errors },
      },
      handler: async (request) => {
        requireServerAdmin(request.principal);
        const { key } = request.params as KeyParams;
        const { force = false } = request.query as ForceQuery;
        const plugin = installed(key);
        const using = await providers.store.listProvidersOfPlugin(
          plugin.vendor,
          plugin.providerType,
        );
        if (using.length > 0 && !force) {
          throw new PlugboardError(
            'CONFLICT',
            `provider plugin "${key}" is used by ${using.length} provider(s): ${using
              .slice(0, 5)
              .map((p) => `"${p.name}"`)
              .join(', ')}${using.length > 5 ? ', …' : ''}; delete them or pass ?force=true`,
            { details: { key, providers: using.map((p) => p.id) } },
          );
        }
        const removed = await registry.remove(key);
        return {
          deleted: pluginView(removed, using.length),
          orphaned_providers: using.map((p) => ({ id: p.id, name: p.name, domain_id: p.domainId })),
        };
      },
    },
    {
      method: 'POST',
      url: '/provider-plugins/:key/test',
      schema: {
        summary: 'Test the connection of each enabled provider using the plugin',
        tags,
        params: KeyParams,
        response: { 200: PluginTestResponse, ...errors },
      },
      handler: async (request) => {
        const { domainId } = requireRole(request.principal, 'publisher');
        const { key } = request.params as KeyParams;
        return { key, results: await providers.testConnections(domainId, key) };
      },
    },
  ]);
}

/** Writes the uploaded package to `file`: a multipart file field, or the raw body. */
async function receivePackage(
  request: FastifyRequest,
  file: string,
  maxBytes: number,
): Promise<void> {
  requireMultipartBoundary(request);
  if (!request.isMultipart()) {
    if (request.body === undefined || request.body === null) {
      throw new PlugboardError(
        'INVALID_ARGUMENT',
        'send the package as multipart field "plugin" or as the request body',
      );
    }
    // A JSON or text body was parsed by another content-type parser: it is no package.
    if (!(request.body instanceof Readable)) {
      const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
      throw new PlugboardError(
        'UNSUPPORTED_MEDIA_TYPE',
        `a provider plugin package is sent as multipart/form-data or as a raw body (application/gzip, application/zip, application/octet-stream), not ${type}`,
        { details: { content_type: type } },
      );
    }
    await writeCapped(request.body, file, maxBytes, () => false);
    return;
  }
  for await (const part of request.parts()) {
    if (part.type !== 'file') continue;
    if (!UPLOAD_FIELDS.has(part.fieldname)) {
      part.file.resume();
      continue;
    }
    await writeCapped(part.file, file, maxBytes, () => part.file.truncated);
    return;
  }
  throw new PlugboardError(
    'INVALID_ARGUMENT',
    'the multipart body has no file field "plugin" (or "package")',
    { details: { problems: [{ path: 'body.plugin', message: 'is required' }] } },
  );
}

async function writeCapped(
  source: Readable,
  file: string,
  maxBytes: number,
  truncated: () => boolean,
): Promise<void> {
  let bytes = 0;
  await pipeline(
    source,
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        bytes += chunk.length;
        if (bytes > maxBytes) {
          throw new PlugboardError(
            'PAYLOAD_TOO_LARGE',
            `the package is larger than ${maxBytes} bytes`,
          );
        }
        yield chunk;
      }
    },
    createWriteStream(file),
  );
  if (truncated()) {
    throw new PlugboardError('PAYLOAD_TOO_LARGE', `the package is larger than ${maxBytes} bytes`);
  }
}
