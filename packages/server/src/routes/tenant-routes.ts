import { PlugboardError } from '@plugboard/core';
import { DOMAIN_ID_PATTERN, TOKEN_ROLES, type ApiToken, type TokenRole } from '@plugboard/store';
import { DEFAULT_DOMAIN_ID } from '../auth/authenticate.js';
import { requireRole, type Principal } from '../auth/principal.js';
import type { RouteModule } from './route-module.js';

const tags = ['tenants'];

function tokenView(token: ApiToken): Record<string, unknown> {
  return {
    id: token.id,
    domain_id: token.domainId,
    name: token.name,
    role: token.role,
    prefix: token.prefix,
    created_at: token.createdAt,
    expires_at: token.expiresAt,
    revoked_at: token.revokedAt,
  };
}

/** Domains are created by admins of the default domain: the registry's operators. */
function requireOperator(principal: Principal | undefined): Principal {
  const admin = requireRole(principal, 'admin');
  if (admin.domainId !== DEFAULT_DOMAIN_ID) {
    throw new PlugboardError(
      'FORBIDDEN',
      `only admins of the "${DEFAULT_DOMAIN_ID}" domain manage domains`,
    );
  }
  return admin;
}

/**
 * Tenants and credentials: `GET|POST /domains`, `GET /whoami`, and the caller's domain's tokens
 * (`GET|POST /tokens`, `DELETE /tokens/{id}`). A token's secret is returned once, at creation.
 */
export const tenantRoutes: RouteModule = (api, { store }) => {
  api.get(
    '/whoami',
    { schema: { summary: 'Who the credentials belong to', tags } },
    async (request) => {
      const principal = request.principal;
      return principal === undefined
        ? { authenticated: false }
        : {
            authenticated: true,
            domain_id: principal.domainId,
            role: principal.role,
            token_id: principal.tokenId,
          };
    },
  );

  api.get(
    '/domains',
    { schema: { summary: 'List domains (operators only)', tags } },
    async (request) => {
      requireOperator(request.principal);
      const domains = await store.listDomains();
      return {
        domains: domains.map((d) => ({ id: d.id, name: d.name, created_at: d.createdAt })),
        total: domains.length,
      };
    },
  );

  api.post<{ Body: { id?: string; name: string } }>(
    '/domains',
    {
      schema: {
        summary: 'Create a domain (tenant)',
        tags,
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: {
            id: { type: 'string', pattern: DOMAIN_ID_PATTERN },
            name: { type: 'string', minLength: 1, maxLength: 200 },
          },
        },
      },
    },
    async (request, reply) => {
      requireOperator(request.principal);
      const domain = await store.createDomain(request.body);
      return reply
        .status(201)
        .send({ id: domain.id, name: domain.name, created_at: domain.createdAt });
    },
  );

  api.get(
    '/tokens',
    { schema: { summary: "List the caller's domain's tokens (admin)", tags } },
    async (request) => {
      const admin = requireRole(request.principal, 'admin');
      const tokens = await store.listTokens(admin.domainId);
      return { tokens: tokens.map(tokenView), total: tokens.length };
    },
  );

  api.post<{ Body: { name: string; role: TokenRole; expires_at?: string; domain_id?: string } }>(
    '/tokens',
    {
      schema: {
        summary: 'Create a token; the secret is in this response only',
        tags,
        body: {
          type: 'object',
          required: ['name', 'role'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            role: { type: 'string', enum: [...TOKEN_ROLES] },
            expires_at: { type: 'string', format: 'date-time' },
            domain_id: {
              type: 'string',
              pattern: DOMAIN_ID_PATTERN,
              description: 'operators only: another domain',
            },
          },
        },
      },
    },
    async (request, reply) => {
      const admin = requireRole(request.principal, 'admin');
      const domainId = request.body.domain_id ?? admin.domainId;
      if (domainId !== admin.domainId) requireOperator(admin);
      if ((await store.getDomain(domainId)) === undefined) {
        throw new PlugboardError('NOT_FOUND', `no domain "${domainId}"`, {
          details: { domain_id: domainId },
        });
      }
      const created = await store.createToken({
        domainId,
        name: request.body.name,
        role: request.body.role,
        ...(request.body.expires_at === undefined ? {} : { expiresAt: request.body.expires_at }),
      });
      return reply.status(201).send({ ...tokenView(created.token), secret: created.secret });
    },
  );

  api.delete<{ Params: { id: string } }>(
    '/tokens/:id',
    { schema: { summary: "Revoke a token of the caller's domain", tags } },
    async (request) => {
      const admin = requireRole(request.principal, 'admin');
      return tokenView(await store.revokeToken(admin.domainId, request.params.id));
    },
  );
};
