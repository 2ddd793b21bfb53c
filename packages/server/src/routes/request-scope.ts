import { PlugboardError } from '@plugboard/core';
import type { FastifyRequest } from 'fastify';
import { requireRole } from '../auth/principal.js';
import type { CatalogScope } from '../catalog/plugin-source.js';
import { parseViaHeader, VIA_HEADER } from '../repositories/remote/remote-hops.js';
import type { ServerConfig } from '../config/server-config.js';

/**
 * Who may read what: a token of any role reads its domain's LOCAL and REMOTE plugins and every
 * MANAGED one; an anonymous request reads MANAGED plugins when `anonymousRead` allows it and is
 * UNAUTHENTICATED otherwise.
 */
export function readScope(
  request: Pick<FastifyRequest, 'principal' | 'headers'>,
  config: ServerConfig,
): CatalogScope {
  const principal = request.principal;
  const via = parseViaHeader(request.headers[VIA_HEADER]);
  if (principal === undefined) {
    if (!config.anonymousRead) {
      throw new PlugboardError(
        'UNAUTHENTICATED',
        'reading plugins needs credentials on this server: Authorization: Bearer <token>',
      );
    }
    return via.length === 0 ? { domainId: undefined } : { domainId: undefined, via };
  }
  const domainId = requireRole(principal, 'reader').domainId;
  return via.length === 0 ? { domainId } : { domainId, via };
}

/** The registry API's absolute URL as the client reached it, e.g. `http://host:7400/api/v1`. */
export function apiBaseUrl(request: FastifyRequest, prefix: string): string {
  return `${request.protocol}://${request.host}${prefix}`;
}

/** `<base>/plugins/<name>/<version>/<leaf>` with each part escaped. */
export function versionUrl(base: string, name: string, version: string, leaf: string): string {
  return `${base}/plugins/${encodeURIComponent(name)}/${encodeURIComponent(version)}/${leaf}`;
}
