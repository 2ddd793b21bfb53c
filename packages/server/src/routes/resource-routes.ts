import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { PlugboardError } from '@plugboard/core';
import { DEFAULT_DRIFT_LIMIT, MAX_PROVIDER_PAGE_LIMIT } from '@plugboard/store';
import { requireRole } from '../auth/principal.js';
import type { ProviderService } from '../providers/provider-service.js';
import { driftView, resourceView } from '../providers/provider-view.js';
import { ErrorResponse } from './plugin-schemas.js';
import { mountRoutes, type ProviderRouteStyle } from './provider-route-paths.js';
import {
  ProviderPagingQuery,
  ResourceDetailResponse,
  ResourceListResponse,
} from './provider-schemas.js';

const tags = ['resources'];

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
type IdParams = Static<typeof IdParams>;

const ListQuery = Type.Object({
  provider_id: Type.Optional(Type.String({ maxLength: 200 })),
  resource_type: Type.Optional(Type.String({ maxLength: 100 })),
  state: Type.Optional(Type.String({ maxLength: 100 })),
  q: Type.Optional(
    Type.String({ maxLength: 200, description: 'case-insensitive part of the name or ems_ref' }),
  ),
  include_deleted: Type.Optional(Type.Boolean({ description: 'soft-deleted resources too' })),
  ...ProviderPagingQuery,
});
type ListQuery = Static<typeof ListQuery>;

const DetailQuery = Type.Object({
  drift_limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_PROVIDER_PAGE_LIMIT, default: DEFAULT_DRIFT_LIMIT }),
  ),
});
type DetailQuery = Static<typeof DetailQuery>;

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

/** `/resources`: what collection runs found, with filters and paging; one with its drift. */
export function registerResourceRoutes(
  scope: FastifyInstance,
  providers: ProviderService,
  style: ProviderRouteStyle,
): void {
  mountRoutes(scope, style, [
    {
      method: 'GET',
      url: '/resources',
      schema: {
        summary: 'List resources (by type, then name)',
        tags,
        querystring: ListQuery,
        response: { 200: ResourceListResponse, ...errors },
      },
      handler: async (request) => {
        const { domainId } = requireRole(request.principal, 'reader');
        const query = request.query as ListQuery;
        const page = await providers.store.listResources(domainId, {
          providerId: query.provider_id,
          resourceType: query.resource_type,
          state: query.state,
          q: query.q,
          includeDeleted: query.include_deleted,
          page: query.page,
          limit: query.limit,
        });
        return {
          resources: page.resources.map(resourceView),
          total: page.total,
          page: query.page ?? 1,
          limit: query.limit ?? 50,
          warnings: [],
        };
      },
    },
    {
      method: 'GET',
      url: '/resources/:id',
      schema: {
        summary: 'Get a resource with its relationships resolved and its drift history',
        tags,
        params: IdParams,
        querystring: DetailQuery,
        response: { 200: ResourceDetailResponse, ...errors },
      },
      handler: async (request) => {
        const { domainId } = requireRole(request.principal, 'reader');
        const { id } = request.params as IdParams;
        const resource = await providers.store.getResource(domainId, id);
        if (resource === undefined) {
          throw new PlugboardError('NOT_FOUND', `no resource "${id}"`, {
            details: { resourceId: id },
          });
        }
        const refs = resource.relationships.map((link) => link.targetEmsRef);
        if (resource.parentEmsRef !== undefined) refs.push(resource.parentEmsRef);
        const targets = new Map(
          (await providers.store.findResourcesByEmsRef(domainId, resource.providerId, refs)).map(
            (target) => [target.emsRef, target.id],
          ),
        );
        const drift = await providers.store.listResourceDrift(
          domainId,
          id,
          (request.query as DetailQuery).drift_limit,
        );
        const shown = resourceView(resource);
        return {
          ...shown,
          relationships: resource.relationships.map((link) => ({
            type: link.type,
            target_ems_ref: link.targetEmsRef,
            target_id: targets.get(link.targetEmsRef) ?? null,
          })),
          parent_id:
            resource.parentEmsRef === undefined
              ? null
              : (targets.get(resource.parentEmsRef) ?? null),
          drift: drift.map(driftView),
        };
      },
    },
  ]);
}
