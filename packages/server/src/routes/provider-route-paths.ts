import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';

/** Where a group of provider routes is mounted. */
export interface ProviderRouteStyle {
  /**
   * Seed 004's `/api/inventory/v1/…` aliases: each path also answers with a trailing slash, and
   * is hidden from the OpenAPI document (the `/api/v1` routes document it).
   */
  readonly inventory: boolean;
}

/** The `/api/v1` style. */
export const V1_STYLE: ProviderRouteStyle = Object.freeze({ inventory: false });
/** The `/api/inventory/v1` style. */
export const INVENTORY_STYLE: ProviderRouteStyle = Object.freeze({ inventory: true });

/** One provider route, before it is mounted in a style. */
export interface ProviderRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly schema: FastifySchema & { summary: string; tags: string[] };
  readonly handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/** Mounts routes in a style: with their trailing-slash twins for the inventory aliases. */
export function mountRoutes(
  scope: FastifyInstance,
  style: ProviderRouteStyle,
  routes: readonly ProviderRoute[],
): void {
  for (const route of routes) {
    const urls = style.inventory ? [route.url, `${route.url}/`] : [route.url];
    for (const url of urls) {
      scope.route({
        method: route.method,
        url,
        schema: style.inventory ? { ...route.schema, hide: true } : route.schema,
        handler: route.handler,
      });
    }
  }
}
