import {
  PROVIDER_CAPABILITY_TYPE,
  parseCollectRequest,
  parseConnectRequest,
  parseDisconnectRequest,
  parseValidateConnectionRequest,
  type ProviderConnection,
  type ValidateConnectionResponse,
} from '@plugboard/protocol/provider/provider-messages';
import { PROVIDER_INPUT_SCHEMAS } from '@plugboard/protocol/provider/provider-schemas';
import {
  resourceDataProblems,
  type ResourceData,
} from '@plugboard/protocol/provider/resource-data';
import type { CapabilityDefinition, HandlerContext } from '../plugin-definition.js';
import { PluginError } from '../plugin-error.js';
import { SessionMap } from './session-map.js';

/** What `collect` receives besides the client. */
export interface CollectOptions {
  /** The resource types asked for: a subset of `supportedResourceTypes`, all of them by default. */
  readonly resourceTypes: readonly string[];
  readonly signal: AbortSignal;
  readonly context: HandlerContext;
}

/** A provider (seed 004): connects to one instance of a managed system and streams its resources. */
export interface ProviderDefinition<Client> {
  /** e.g. `vmware`. */
  readonly vendor: string;
  /** e.g. `vcenter`. */
  readonly providerType: string;
  readonly supportedResourceTypes: readonly string[];
  /** Opens a client for a connection; throw (e.g. `UNAUTHENTICATED`) when it cannot. */
  connect(connection: ProviderConnection, context: HandlerContext): Promise<Client> | Client;
  /** Streams the resources the client can see. */
  collect(
    client: Client,
    options: CollectOptions,
  ): AsyncIterable<ResourceData> | Iterable<ResourceData>;
  /** Closes a client; called on `disconnect` and for sessions still open at shutdown. */
  disconnect(client: Client): Promise<void> | void;
  /** Checks a connection without keeping a session; by default connect then disconnect. */
  validateConnection?(
    connection: ProviderConnection,
    context: HandlerContext,
  ): Promise<ValidateConnectionResponse> | ValidateConnectionResponse;
}

function invalidArgument(error: unknown): never {
  // Request parsers throw ProtocolError with an INVALID_ARGUMENT code and problems: keep both.
  const { code, message, problems } = error as {
    code?: string;
    message?: string;
    problems?: unknown;
  };
  throw new PluginError(
    code ?? 'INVALID_ARGUMENT',
    message ?? 'invalid request',
    { problems: problems ?? [] },
    { cause: error },
  );
}

function parse<T>(parser: (value: unknown) => T, value: unknown): T {
  try {
    return parser(value);
  } catch (error) {
    return invalidArgument(error);
  }
}

/**
 * Turns a provider into a capability for `servePlugin`, implementing `connect`, `collect`
 * (NDJSON), `disconnect` and `validate_connection` with a session map. Every streamed resource is
 * checked, and ones of types not asked for are dropped. Sessions still open at shutdown are
 * disconnected.
 *
 * @example
 * servePlugin({ name: 'vcenter', version: '1.0.0', capabilities: [defineProvider({
 *   vendor: 'vmware', providerType: 'vcenter', supportedResourceTypes: ['virtual_machine'],
 *   connect: (c) => login(c), collect: async function* (client) { yield* client.vms(); },
 *   disconnect: (client) => client.logout(),
 * })] });
 */
export function defineProvider<Client>(provider: ProviderDefinition<Client>): CapabilityDefinition {
  const sessions = new SessionMap<Client>();
  const supported = new Set(provider.supportedResourceTypes);

  const validate = async (
    connection: ProviderConnection,
    context: HandlerContext,
  ): Promise<ValidateConnectionResponse> => {
    if (provider.validateConnection !== undefined)
      return provider.validateConnection(connection, context);
    try {
      const client = await provider.connect(connection, context);
      await provider.disconnect(client);
      return { ok: true };
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  };

  return {
    type: PROVIDER_CAPABILITY_TYPE,
    fields: {
      vendor: provider.vendor,
      provider_type: provider.providerType,
      resource_types: [...provider.supportedResourceTypes],
    },
    endpoints: {
      connect: {
        inputSchema: PROVIDER_INPUT_SCHEMAS.connect,
        handler: async (input: unknown, context: HandlerContext) => {
          const { connection } = parse(parseConnectRequest, input);
          const client = await provider.connect(connection, context);
          const sessionId = sessions.add(client);
          context.log.info({ session_id: sessionId, sessions: sessions.size }, 'connected');
          return { session_id: sessionId };
        },
      },
      collect: {
        inputSchema: PROVIDER_INPUT_SCHEMAS.collect,
        stream: true,
        handler: async function* (input: unknown, context: HandlerContext) {
          const request = parse(parseCollectRequest, input);
          const unsupported = (request.resource_types ?? []).filter((type) => !supported.has(type));
          if (unsupported.length > 0) {
            throw new PluginError(
              'INVALID_ARGUMENT',
              `resource_types ${unsupported.map((t) => `"${t}"`).join(', ')} not supported; supported: ${[...supported].join(', ')}`,
              {
                problems: [
                  { path: 'resource_types', message: `unsupported: ${unsupported.join(', ')}` },
                ],
              },
            );
          }
          const client = sessions.get(request.session_id);
          const wanted = new Set(request.resource_types ?? provider.supportedResourceTypes);
          const resources = provider.collect(client, {
            resourceTypes: [...wanted],
            signal: context.signal,
            context,
          });
          let index = 0;
          for await (const resource of resources) {
            const problems = resourceDataProblems(resource, `resource[${index}]`).problems;
            if (problems.length > 0) {
              throw new PluginError(
                'PLUGIN_CALL_FAILED',
                `collect yielded an invalid resource: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
                { problems },
              );
            }
            index++;
            if (wanted.has(resource.resource_type)) yield resource;
          }
        },
      },
      disconnect: {
        inputSchema: PROVIDER_INPUT_SCHEMAS.disconnect,
        handler: async (input: unknown, context: HandlerContext) => {
          const { session_id: sessionId } = parse(parseDisconnectRequest, input);
          const client = sessions.take(sessionId);
          // Disconnecting an unknown session succeeds: the host always disconnects, even after a
          // failed connect or collect, and a retry must not fail.
          if (client !== undefined) {
            await provider.disconnect(client);
            context.log.info({ session_id: sessionId, sessions: sessions.size }, 'disconnected');
          }
          return {};
        },
      },
      validate_connection: {
        inputSchema: PROVIDER_INPUT_SCHEMAS.validate_connection,
        handler: async (input: unknown, context: HandlerContext) => {
          const { connection } = parse(parseValidateConnectionRequest, input);
          return validate(connection, context);
        },
      },
    },
    onShutdown: async (log) => {
      const clients = sessions.takeAll();
      if (clients.length > 0)
        log.info({ sessions: clients.length }, 'disconnecting sessions left open');
      for (const client of clients) {
        try {
          await provider.disconnect(client);
        } catch (error) {
          log.warn({ err: error }, 'disconnect failed during shutdown');
        }
      }
    },
  };
}
