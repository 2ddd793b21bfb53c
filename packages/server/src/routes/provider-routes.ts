import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../auth/principal.js';
import type { ProviderBody, ProviderService } from '../providers/provider-service.js';
import { providerView, runView } from '../providers/provider-view.js';
import { ErrorResponse } from './plugin-schemas.js';
import { mountRoutes, type ProviderRouteStyle } from './provider-route-paths.js';
import {
  CreateProviderBody,
  ProviderListResponse,
  ProviderPagingQuery,
  ProviderViewSchema,
  ProviderWriteResponse,
  RunViewSchema,
  UpdateProviderBody,
} from './provider-schemas.js';

const tags = ['providers'];

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
type IdParams = Static<typeof IdParams>;

const ListQuery = Type.Object({
  vendor: Type.Optional(Type.String({ maxLength: 100 })),
  provider_type: Type.Optional(Type.String({ maxLength: 100 })),
  enabled: Type.Optional(Type.Boolean()),
  ...ProviderPagingQuery,
});
type ListQuery = Static<typeof ListQuery>;

const CollectBody = Type.Union([
  Type.Object(
    {
      resource_types: Type.Optional(
        Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 }),
      ),
    },
    { additionalProperties: false },
  ),
  Type.Null(),
]);
type CollectBody = Static<typeof CollectBody>;

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

/**
 * `/providers` (seed 004's Provider records): create, list, get, update, delete — each bound to
 * the plugin `vendor:provider_type` and checked against its connection parameters, secrets
 * masked — and `POST /providers/{id}/collect`, which queues a collection run (202).
 */
export function registerProviderRoutes(
  scope: FastifyInstance,
  providers: ProviderService,
  style: ProviderRouteStyle,
): void {
  const view = (record: Parameters<typeof providerView>[0]) =>
    providerView(record, providers.plugins.get(`${record.vendor}:${record.providerType}`));

  mountRoutes(scope, style, [
    {
      method: 'GET',
      url: '/providers',
      schema: {
        summary: 'List the providers of the caller’s tenant',
        tags,
        querystring: ListQuery,
        response: { 200: ProviderListResponse, ...errors },
      },
      handler: async (request) => {
        const { domainId } = requireRole(request.principal, 'reader');
        const query = request.query as ListQuery;
        const page = await providers.store.listProviders(domainId, {
          vendor: query.vendor,
          providerType: query.provider_type,
          enabled: query.enabled,
          page: query.page,
          limit: query.limit,
        });
        return {
          providers: page.providers.map(view),
          total: page.total,
          page: query.page ?? 1,
          limit: query.limit ?? 50,
          warnings: [],
        };
      },
    },
    {
      method: 'POST',
      url: '/providers',
      schema: {
        summary: 'Create a provider bound to a provider plugin',
        tags,
        body: CreateProviderBody,
        response: { 201: ProviderWriteResponse, 409: ErrorResponse, ...errors },
      },
      handler: async (request, reply) => {
        const { domainId } = requireRole(request.principal, 'publisher');
        const { record, warnings } = await providers.create(domainId, request.body as ProviderBody);
        void reply.status(201);
        return { ...view(record), warnings };
      },
    },
    {
      method: 'GET',
      url: '/providers/:id',
      schema: {
        summary: 'Get a provider (secret parameters masked)',
        tags,
        params: IdParams,
        response: { 200: ProviderViewSchema, ...errors },
      },
      handler: async (request) => {
        const { domainId } = requireRole(request.principal, 'reader');
        return view(await providers.get(domainId, (request.params as IdParams).id));
      },
    },
    ...(['PATCH', 'PUT'] as const).map((method) => ({
      method,
      url: '/providers/:id',
      schema: {
        summary: `Change a provider (${method}: fields absent are kept; secrets sent as ******** keep their value)`,
        tags,
        params: IdParams,
        body: UpdateProviderBody,
        response: { 200: ProviderWriteResponse, 409: ErrorResponse, ...errors },
      },
      handler: async (request: Parameters<ProviderRouteHandler>[0]) => {
        const { domainId } = requireRole(request.principal, 'publisher');
        const { record, warnings } = await providers.update(
          domainId,
          (request.params as IdParams).id,
          request.body as ProviderBody,
        );
        return { ...view(record), warnings };
      },
    })),
    {
      method: 'DELETE',
      url: '/providers/:id',
      schema: {
        summary: 'Delete a provider with its runs and resources',
        tags,
        params: IdParams,
        response: { 204: Type.Null(), 409: ErrorResponse, ...errors },
      },
      handler: async (request, reply) => {
        const { domainId } = requireRole(request.principal, 'publisher');
        await providers.store.deleteProvider(domainId, (request.params as IdParams).id);
        void reply.status(204);
        return null;
      },
    },
    {
      method: 'POST',
      url: '/providers/:id/collect',
      schema: {
        summary: 'Queue a collection run (connect → collect → disconnect in the background)',
        description:
          'Answers 202 with the run; 409 when the provider is disabled or already has a pending or running run. The body is optional.',
        tags,
        params: IdParams,
        body: CollectBody,
        response: { 202: RunViewSchema, 409: ErrorResponse, ...errors },
      },
      handler: async (request, reply) => {
        const principal = requireRole(request.principal, 'publisher');
        const body = request.body as CollectBody | undefined;
        const run = await providers.collect(principal.domainId, (request.params as IdParams).id, {
          resourceTypes: body?.resource_types,
          requestedBy: principal.tokenId,
        });
        void reply.status(202);
        return runView(run);
      },
    },
  ]);
}

type ProviderRouteHandler = Parameters<typeof mountRoutes>[2][number]['handler'];
