import { Type, type Static } from '@sinclair/typebox';
import { PlugboardError, isPlugboardError } from '@plugboard/core';
import { RegistryClient, parseRegistryUrl } from '@plugboard/client';
import { DEFAULT_REPOSITORY_TIMEOUT_MS, type RemoteRepository } from '@plugboard/store';
import { requireRole } from '../auth/principal.js';
import type { RepositoryType } from '../catalog/plugin-view.js';
import { LOCAL_PRIORITY } from '../repositories/local/local-source.js';
import { MANAGED_PRIORITY } from '../repositories/managed/managed-source.js';
import {
  CONFIG_REMOTE_ID_PREFIX,
  REMOTE_PRIORITY_BASE,
  definitionFromConfig,
  displayEndpoint,
  type RemoteDefinition,
} from '../repositories/remote/remote-definition.js';
import { VIA_HEADER, parseViaHeader, viaHeaders } from '../repositories/remote/remote-hops.js';
import { RemoteTokenBox } from '../repositories/remote/remote-token-box.js';
import { ErrorResponse, PagingQuery, stringEnum } from './plugin-schemas.js';
import type { RouteModule } from './route-module.js';

const tags = ['repositories'];

/** Page size of `GET /repositories` when none is given. */
const DEFAULT_REPOSITORY_PAGE_LIMIT = 100;

/** Longest REMOTE call timeout accepted, in milliseconds (the store's limit). */
const MAX_REMOTE_TIMEOUT_MS = 600_000;

/** A repository as clients see it. Only these keys are serialized: a token cannot slip out. */
const RepositoryViewSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    type: stringEnum<RepositoryType>(['LOCAL', 'MANAGED', 'REMOTE']),
    priority: Type.Integer({
      description: 'the catalog order: lower is asked first and wins a name clash',
    }),
    remote_priority: Type.Optional(
      Type.Integer({ description: 'REMOTE only: the priority given when it was added' }),
    ),
    origin: stringEnum(['builtin', 'config', 'api'] as const),
    endpoint: Type.Optional(Type.String()),
    timeout_ms: Type.Optional(Type.Integer()),
    has_token: Type.Optional(Type.Boolean()),
    created_at: Type.Optional(Type.String()),
    updated_at: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
type RepositoryView = Static<typeof RepositoryViewSchema>;

const RepositoryListResponse = Type.Object({
  repositories: Type.Array(RepositoryViewSchema),
  total: Type.Integer(),
  page: Type.Integer(),
  limit: Type.Integer(),
  warnings: Type.Array(Type.String()),
});

const AddRepositoryBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '^\\S(.*\\S)?$' }),
    endpoint: Type.String({
      minLength: 8,
      maxLength: 2048,
      pattern: '^https?://',
      description: "the remote's registry URL, e.g. https://registry.example.com/api/v1",
    }),
    token: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 4096,
        pattern: '^[\\x21-\\x7e]+$',
        description: 'sent as Authorization: Bearer; printable ASCII without spaces',
      }),
    ),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    timeout_ms: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_REMOTE_TIMEOUT_MS })),
  },
  { additionalProperties: false },
);

const AddRepositoryQuery = Type.Object({
  verify: Type.Optional(
    Type.Boolean({ description: "false stores it without calling the remote's /healthz" }),
  ),
});

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

const BUILTIN: readonly RepositoryView[] = [
  { id: 'local', name: 'local', type: 'LOCAL', priority: LOCAL_PRIORITY, origin: 'builtin' },
  {
    id: 'managed',
    name: 'managed',
    type: 'MANAGED',
    priority: MANAGED_PRIORITY,
    origin: 'builtin',
  },
];

/**
 * Repository configuration (seed 000): `GET /repositories` (the built-in LOCAL and MANAGED
 * entries, the config file's REMOTE repositories and the caller's domain's), `POST /repositories`
 * and `DELETE /repositories/{id}` (admin) for the domain's REMOTE repositories. Tokens are accepted,
 * stored and used, never returned.
 */
export const repositoryRoutes: RouteModule = (api, { config, store }) => {
  const configRemotes = config.remotes.map(definitionFromConfig);
  const tokens = new RemoteTokenBox(config);

  api.get<{ Querystring: { page?: number; limit?: number } }>(
    '/repositories',
    {
      schema: {
        summary: 'List repositories: LOCAL, MANAGED and REMOTE (never tokens)',
        tags,
        querystring: Type.Object(PagingQuery),
        response: { 200: RepositoryListResponse, ...errors },
      },
    },
    async (request) => {
      const principal = request.principal;
      let views: RepositoryView[];
      if (principal === undefined) {
        // Anonymous readers see what they may read: MANAGED plugins, when the config allows it.
        if (!config.anonymousRead) requireRole(principal, 'reader');
        views = BUILTIN.filter((view) => view.type === 'MANAGED');
      } else {
        const { domainId } = requireRole(principal, 'reader');
        const stored = await store.listRepositories(domainId);
        views = [...BUILTIN, ...configRemotes.map(configView), ...stored.map(storedView)];
      }
      views.sort((a, b) => a.priority - b.priority || compareText(a.name, b.name));
      const limit = request.query.limit ?? DEFAULT_REPOSITORY_PAGE_LIMIT;
      const page = request.query.page ?? 1;
      const offset = (page - 1) * limit;
      return {
        repositories: views.slice(offset, offset + limit),
        total: views.length,
        page,
        limit,
        warnings: [],
      };
    },
  );

  api.post<{
    Body: Static<typeof AddRepositoryBody>;
    Querystring: Static<typeof AddRepositoryQuery>;
  }>(
    '/repositories',
    {
      schema: {
        summary: 'Add a REMOTE repository (another Plugboard server) to the caller’s domain',
        tags,
        body: AddRepositoryBody,
        querystring: AddRepositoryQuery,
        response: { 201: RepositoryViewSchema, ...errors, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { domainId } = requireRole(request.principal, 'admin');
      const body = request.body;
      const endpoint = normalizedEndpoint(body.endpoint);
      if (configRemotes.some((remote) => remote.name === body.name)) {
        throw new PlugboardError(
          'ALREADY_EXISTS',
          `a REMOTE repository named "${body.name}" is defined in the server's config file`,
          { details: { field: 'name', name: body.name } },
        );
      }
      const timeoutMs = body.timeout_ms ?? DEFAULT_REPOSITORY_TIMEOUT_MS;
      if (request.query.verify !== false) {
        const via = viaHeaders(
          parseViaHeader(request.headers[VIA_HEADER]),
          await store.registryId(),
        );
        await verifyRemote(endpoint, body.token, timeoutMs, via);
      }
      // Stored encrypted with the server's secret key; opened only to call the remote.
      const sealedToken =
        body.token === undefined ? undefined : await tokens.seal(domainId, body.name, body.token);
      const created = await store.createRepository(domainId, {
        name: body.name,
        endpoint,
        sealedToken,
        priority: body.priority,
        timeoutMs,
      });
      return reply.status(201).send(storedView(created));
    },
  );

  api.delete<{ Params: Static<typeof IdParams> }>(
    '/repositories/:id',
    {
      schema: {
        summary: 'Remove a REMOTE repository of the caller’s domain',
        tags,
        params: IdParams,
        response: { ...errors, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { domainId } = requireRole(request.principal, 'admin');
      const { id } = request.params;
      if (BUILTIN.some((view) => view.id === id)) {
        throw new PlugboardError('FORBIDDEN', `the ${id.toUpperCase()} repository is built in`, {
          details: { id },
        });
      }
      if (id.startsWith(CONFIG_REMOTE_ID_PREFIX)) {
        throw new PlugboardError(
          'FORBIDDEN',
          `repository "${id}" is defined in the server's config file; remove it there`,
          { details: { id } },
        );
      }
      await store.deleteRepository(domainId, id);
      return reply.status(204).send();
    },
  );
};

function configView(remote: RemoteDefinition): RepositoryView {
  return {
    id: remote.id,
    name: remote.name,
    type: 'REMOTE',
    priority: REMOTE_PRIORITY_BASE + remote.priority,
    remote_priority: remote.priority,
    origin: 'config',
    endpoint: displayEndpoint(remote.endpoint),
    timeout_ms: remote.timeoutMs,
    has_token: remote.token !== undefined,
  };
}

function storedView(remote: RemoteRepository): RepositoryView {
  return {
    id: remote.id,
    name: remote.name,
    type: 'REMOTE',
    priority: REMOTE_PRIORITY_BASE + remote.priority,
    remote_priority: remote.priority,
    origin: 'api',
    endpoint: displayEndpoint(remote.endpoint),
    timeout_ms: remote.timeoutMs,
    has_token: remote.hasToken,
    created_at: remote.createdAt,
    updated_at: remote.updatedAt,
  };
}

// Credentials belong in `token`, where they are kept out of every response; not in the URL.
function normalizedEndpoint(endpoint: string): string {
  const parsed = new URL(parseRegistryUrl(endpoint).base);
  const original = new URL(endpoint);
  if (original.username !== '' || original.password !== '') {
    throw new PlugboardError(
      'INVALID_ARGUMENT',
      'endpoint must not carry credentials (user:password@); pass a token instead',
      { details: { field: 'endpoint' } },
    );
  }
  if (original.search !== '' || original.hash !== '') {
    throw new PlugboardError('INVALID_ARGUMENT', 'endpoint must not have a query or a fragment', {
      details: { field: 'endpoint' },
    });
  }
  return parsed.toString().replace(/\/+$/, '');
}

// The remote must answer /healthz; with a token, an authenticated read proves the token works.
// (A wrong token already fails /healthz: the server authenticates every request that has one.)
async function verifyRemote(
  endpoint: string,
  token: string | undefined,
  timeoutMs: number,
  /** `Plugboard-Via`, so a remote that lists this server does not call back in a loop. */
  headers: Record<string, string>,
): Promise<void> {
  const client = new RegistryClient({ url: endpoint, token, timeoutMs });
  const checks: [string, () => Promise<unknown>][] = [
    ['/healthz', () => client.health({ headers })],
  ];
  if (token !== undefined) {
    checks.push(['GET /plugins', () => client.listPlugins({ limit: 1 }, { headers })]);
  }
  for (const [what, check] of checks) {
    try {
      await check();
    } catch (error) {
      const refused =
        isPlugboardError(error, 'UNAUTHENTICATED') || isPlugboardError(error, 'FORBIDDEN');
      throw refused
        ? verificationError('token', `${endpoint} refused the token`, error)
        : verificationError('endpoint', `${endpoint} did not answer ${what}`, error);
    }
  }
}

function verificationError(field: string, what: string, error: unknown): PlugboardError {
  const code = isPlugboardError(error) ? error.code : 'INTERNAL';
  const reason = isPlugboardError(error) ? error.message : 'unexpected failure';
  return new PlugboardError(
    'INVALID_ARGUMENT',
    `${field}: ${what} (${code}: ${reason}); add ?verify=false to store it anyway`,
    { details: { field, remote_code: code } },
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
