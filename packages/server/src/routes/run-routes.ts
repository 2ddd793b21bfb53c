import { Type, type Static } from '@sinclair/typebox';
import { RUN_STATES } from '@plugboard/store';
import type { FastifyInstance } from 'fastify';
import { PlugboardError } from '@plugboard/core';
import { requireRole } from '../auth/principal.js';
import type { ProviderService } from '../providers/provider-service.js';
import { runView } from '../providers/provider-view.js';
import { ErrorResponse, stringEnum } from './plugin-schemas.js';
import { mountRoutes, type ProviderRouteStyle } from './provider-route-paths.js';
import { ProviderPagingQuery, RunListResponse, RunViewSchema } from './provider-schemas.js';

const tags = ['collection runs'];

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
type IdParams = Static<typeof IdParams>;

const ListQuery = Type.Object({
  provider_id: Type.Optional(Type.String({ maxLength: 200 })),
  state: Type.Optional(stringEnum(RUN_STATES)),
  ...ProviderPagingQuery,
});
type ListQuery = Static<typeof ListQuery>;

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

/** `/runs`: collection runs of the caller's tenant, newest first; one run; cancel. */
export function registerRunRoutes(
  scope: FastifyInstance,
  providers: ProviderService,
  style: ProviderRouteStyle,
): void {
  mountRoutes(scope, style, [
    {
      method: 'GET',
      url: '/runs',
      schema: {
        summary: 'List collection runs, newest first',
        tags,
        querystring: ListQuery,
        response: { 200: RunListResponse, ...errors },
      },
      handler: async (request) => {
        const { domainId } = requireRole(request.principal, 'reader');
        const query = request.query as ListQuery;
        const page = await providers.store.listRuns(domainId, {
          providerId: query.provider_id,
          state: query.state,
          page: query.page,
          limit: query.limit,
        });
        return {
          runs: page.runs.map(runView),
          total: page.total,
          page: query.page ?? 1,
          limit: query.limit ?? 50,
          warnings: [],
        };
      },
    },
    {
      method: 'GET',
      url: '/runs/:id',
      schema: {
        summary: 'Get a collection run: state, counts, error, plugin version, timings',
        tags,
        params: IdParams,
        response: { 200: RunViewSchema, ...errors },
      },
      handler: async (request) => {
        const { domainId } = requireRole(request.principal, 'reader');
        const { id } = request.params as IdParams;
        const run = await providers.store.getRun(domainId, id);
        if (run === undefined) {
          throw new PlugboardError('NOT_FOUND', `no collection run "${id}"`, {
            details: { runId: id },
          });
        }
        return runView(run);
      },
    },
    {
      method: 'POST',
      url: '/runs/:id/cancel',
      schema: {
        summary: 'Cancel a run: a pending one at once, a running one at its next heartbeat',
        tags,
        params: IdParams,
        response: { 202: RunViewSchema, 409: ErrorResponse, ...errors },
      },
      handler: async (request, reply) => {
        const { domainId } = requireRole(request.principal, 'publisher');
        const run = await providers.cancel(domainId, (request.params as IdParams).id);
        void reply.status(202);
        return runView(run);
      },
    },
  ]);
}
