import { PlugboardError } from '@plugboard/core';
import type { FastifyRequest } from 'fastify';
import { requireRole, type Principal } from '../auth/principal.js';
import type { CatalogScope } from '../catalog/plugin-source.js';
import type { ServerConfig } from '../config/server-config.js';

/**
 * Who may read what: a token of any role reads its domain's LOCAL and REMOTE plugins and every
 * MANAGED one; an anonymous request reads MANAGED plugins when `anonymousRead` allows it and is
 * UNAUTHENTICATED otherwise.
 */
export function readScope(principal: Principal | undefined, config: ServerConfig): CatalogScope {
  if (principal === undefined) {
    if (!config.anonymousRead) {
      throw new PlugboardError(
        'UNAUTHENTICATED',
        'reading plugins needs credentials on this server: Authorization: Bearer <token>',
      );
    }
    return { domainId: undefined };
  }
  return { domainId: requireRole(principal, 'reader').domainId };
}

/** The registry API's absolute URL as the client reached it, e.g. `http://host:7400/api/v1`. */
export function apiBaseUrl(request: FastifyRequest, prefix: string): string {
  return `${request.protocol}://${request.host}${prefix}`;
}

/** `<base>/plugins/<name>/<version>/<leaf>` with each part escaped. */
export function versionUrl(base: string, name: string, version: string, leaf: string): string {
  return `${base}/plugins/${encodeURIComponent(name)}/${encodeURIComponent(version)}/${leaf}`;
}
