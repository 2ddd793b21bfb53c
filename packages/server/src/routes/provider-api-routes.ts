import multipart from '@fastify/multipart';
import { PlugboardError } from '@plugboard/core';
import type { FastifyInstance } from 'fastify';
import { registerProviderPluginRoutes } from './provider-plugin-routes.js';
import { INVENTORY_STYLE, V1_STYLE, type ProviderRouteStyle } from './provider-route-paths.js';
import { registerProviderRoutes } from './provider-routes.js';
import { registerResourceRoutes } from './resource-routes.js';
import type { RouteModule } from './route-module.js';
import { registerRunRoutes } from './run-routes.js';

/** Prefix of seed 004's inventory API, answered by the same routes. */
export const INVENTORY_API_PREFIX = '/api/inventory/v1';

/** Raw-body content types of a plugin upload. */
const UPLOAD_CONTENT_TYPES = [
  'application/gzip',
  'application/x-gzip',
  'application/zip',
  'application/x-zip-compressed',
  'application/octet-stream',
];

/**
 * A JSON body parser that takes an empty body as no body: seed 004's `curl -X POST -H
 * 'Content-Type: application/json' …/collect/` sends none.
 */
function parseJsonOrEmpty(
  _request: unknown,
  body: string,
  done: (error: Error | null, value?: unknown) => void,
): void {
  if (body.trim() === '') {
    done(null, null);
    return;
  }
  try {
    done(null, JSON.parse(body) as unknown);
  } catch (cause) {
    done(new PlugboardError('PARSE_ERROR', 'the request body is not valid JSON', { cause }));
  }
}

/** Every provider, run, resource and provider-plugin route in one style. */
export function providerRouteModule(style: ProviderRouteStyle): RouteModule {
  return (api, context) => {
    const providers = context.providers;
    // A server built without the provider parts (some tests) simply has no such routes.
    if (providers === undefined) return;
    const maxUploadBytes = context.config.maxPublishBytes;
    void api.register(async (scope: FastifyInstance) => {
      scope.removeContentTypeParser('application/json');
      scope.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonOrEmpty);
      scope.addContentTypeParser(UPLOAD_CONTENT_TYPES, (_request, payload, done) =>
        done(null, payload),
      );
      await scope.register(multipart, {
        limits: { fileSize: maxUploadBytes + 1, files: 1, fields: 8, parts: 10 },
      });
      registerProviderPluginRoutes(scope, providers, style, maxUploadBytes);
      registerProviderRoutes(scope, providers, style);
      registerRunRoutes(scope, providers, style);
      registerResourceRoutes(scope, providers, style);
    });
  };
}

/** The provider routes under `/api/v1`. */
export const providerApiRoutes: RouteModule = providerRouteModule(V1_STYLE);

/** Route modules under `INVENTORY_API_PREFIX` (seed 004's paths, trailing slashes allowed). */
export const INVENTORY_ROUTES: readonly RouteModule[] = [providerRouteModule(INVENTORY_STYLE)];
