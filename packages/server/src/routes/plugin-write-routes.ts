import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { PlugboardError } from '@plugboard/core';
import type { ServerContext } from '../app/server-context.js';
import { requireRole } from '../auth/principal.js';
import { localPluginWriterFor } from '../repositories/local/local-services.js';
import type { RouteModule } from './route-module.js';
import { detailResponse } from './plugin-read-routes.js';
import {
  ErrorResponse,
  JsonObjectSchema,
  NameParams,
  PLUGIN_TAGS,
  PluginDetailResponse,
} from './plugin-schemas.js';

const errors = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  415: ErrorResponse,
};

// Null first: ajv's type coercion would otherwise turn null into "" through the string branch.
const nullableString = Type.Optional(Type.Union([Type.Null(), Type.String()]));

/** `PATCH /plugins/{name}`: an absent field is kept, `null` clears it. Unknown fields are refused. */
const PatchBody = Type.Object({
  display_name: nullableString,
  description: nullableString,
  type: nullableString,
  providers: Type.Optional(Type.Array(Type.String())),
  labels: Type.Optional(Type.Array(Type.String())),
  capabilities: Type.Optional(Type.Array(Type.String())),
  tags: Type.Optional(Type.Record(Type.String(), Type.String())),
  icon: nullableString,
  enabled: Type.Optional(Type.Boolean()),
  image: Type.Optional(
    Type.Union([
      Type.Null(),
      Type.Object({
        image: Type.String({ minLength: 1 }),
        registry_type: Type.Optional(Type.String()),
        registry_config: Type.Optional(JsonObjectSchema),
      }),
    ]),
  ),
  manifest: Type.Optional(
    Type.Object(
      {},
      {
        additionalProperties: true,
        description: 'a whole manifest (any importer format) replacing every metadata field',
      },
    ),
  ),
});

const DeleteQuery = Type.Object({
  force: Type.Optional(Type.Boolean({ description: 'delete even while providers use the plugin' })),
});

const manifestText = {
  schema: {
    type: 'string',
    description: 'a manifest as YAML or JSON text, in any importer format',
  },
};

/**
 * Registering and changing a domain's LOCAL plugins (seed 000): `POST /plugins`,
 * `PATCH /plugins/{name}`, `DELETE /plugins/{name}`, `POST /plugins/{name}/enable|disable`.
 * Writes need the publisher role; MANAGED and REMOTE plugins are read-only (FORBIDDEN).
 */
export const pluginWriteRoutes: RouteModule = (api, context) => {
  api.post(
    '/plugins',
    {
      schema: {
        summary: 'Register a plugin from a manifest in any importer format (JSON or YAML)',
        tags: PLUGIN_TAGS,
        body: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                description:
                  'a manifest in any importer format (native, SpaceONE, PulumiCost, inventory, OCM)',
              },
            },
            'application/yaml': manifestText,
            'application/x-yaml': manifestText,
            'text/yaml': manifestText,
            'text/plain': manifestText,
          },
        },
        response: { 201: PluginDetailResponse, ...errors },
      },
    },
    async (request, reply) => {
      const principal = requireRole(request.principal, 'publisher');
      const writer = localPluginWriterFor(context.store);
      const registration = await writer.register(principal.domainId, request.body);
      const detail = await localDetail(context, principal.domainId, registration.record.name);
      return reply.status(201).send({
        ...detail,
        warnings: [...registration.warnings, ...detail.warnings],
      });
    },
  );

  api.patch<{ Params: Static<typeof NameParams>; Body: Static<typeof PatchBody> }>(
    '/plugins/:name',
    {
      schema: {
        summary: 'Change some fields of a LOCAL plugin',
        tags: PLUGIN_TAGS,
        params: NameParams,
        body: PatchBody,
        response: { 200: PluginDetailResponse, ...errors },
      },
    },
    async (request) => {
      const principal = requireRole(request.principal, 'publisher');
      const { name } = request.params;
      await requireLocal(context, principal.domainId, name);
      await localPluginWriterFor(context.store).patch(principal.domainId, name, request.body);
      return localDetail(context, principal.domainId, name);
    },
  );

  api.delete<{ Params: Static<typeof NameParams>; Querystring: Static<typeof DeleteQuery> }>(
    '/plugins/:name',
    {
      schema: {
        summary: 'Deregister a LOCAL plugin with its versions (409 while providers use it)',
        tags: PLUGIN_TAGS,
        params: NameParams,
        querystring: DeleteQuery,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const principal = requireRole(request.principal, 'publisher');
      const { name } = request.params;
      await requireLocal(context, principal.domainId, name);
      await localPluginWriterFor(context.store).delete(
        principal.domainId,
        name,
        request.query.force === true,
      );
      return reply.status(204).send();
    },
  );

  for (const action of ['enable', 'disable'] as const) {
    api.post<{ Params: Static<typeof NameParams> }>(
      `/plugins/:name/${action}`,
      {
        schema: {
          summary: `${action === 'enable' ? 'Enable' : 'Disable'} a LOCAL plugin`,
          tags: PLUGIN_TAGS,
          params: NameParams,
          response: { 200: PluginDetailResponse, ...errors },
        },
      },
      async (request) => {
        const principal = requireRole(request.principal, 'publisher');
        const { name } = request.params;
        await requireLocal(context, principal.domainId, name);
        await localPluginWriterFor(context.store).setEnabled(
          principal.domainId,
          name,
          action === 'enable',
        );
        return localDetail(context, principal.domainId, name);
      },
    );
  }
};

/**
 * Passes when the domain's LOCAL repository has the plugin. Otherwise FORBIDDEN naming the
 * read-only repository that has it (MANAGED, a REMOTE), or PLUGIN_NOT_FOUND.
 */
async function requireLocal(context: ServerContext, domainId: string, name: string): Promise<void> {
  if ((await context.store.getPlugin(domainId, name)) !== undefined) return;
  // Not LOCAL: PLUGIN_NOT_FOUND unless another (read-only) repository has it.
  const found = await context.catalog.get({ domainId }, name);
  const repository = found.source.ref;
  throw new PlugboardError(
    'FORBIDDEN',
    `plugin "${name}" belongs to the ${repository.type} repository "${repository.name}", which is read-only; only LOCAL plugins can be changed`,
    { details: { name, repository_type: repository.type, repository: repository.name } },
  );
}

async function localDetail(
  context: ServerContext,
  domainId: string,
  name: string,
): Promise<ReturnType<typeof detailResponse>> {
  const { detail } = await context.catalog.get({ domainId }, name, 'LOCAL');
  return detailResponse(detail);
}
