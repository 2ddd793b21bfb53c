import type { JsonSchema } from '@plugboard/protocol/capabilities';
import type { PluginLogger } from './plugin-logger.js';

/** What a handler receives besides its input. */
export interface HandlerContext {
  /**
   * Aborted when the caller goes away, when the call's `x-plugboard-timeout-ms` passes, or when a
   * shutdown's grace period ends; long work should stop then.
   */
  readonly signal: AbortSignal;
  /** The plugin configuration from the stdin line (validated against `configSchema` when given). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Logs to stderr with the capability, endpoint and request id attached. */
  readonly log: PluginLogger;
}

/** A JSON endpoint: returns (or resolves to) a JSON value; `undefined` answers `{}`. */
export type JsonHandler<Input = unknown> = (input: Input, context: HandlerContext) => unknown;

/** A streamed endpoint: an async generator (or any iterable); each value is one NDJSON line. */
export type StreamHandler<Input = unknown> = (
  input: Input,
  context: HandlerContext,
) => AsyncIterable<unknown> | Iterable<unknown>;

/** One endpoint of a capability, served at `POST /v1/<type>/<endpoint>`. */
export type EndpointDefinition<Input = unknown> =
  | {
      readonly handler: JsonHandler<Input>;
      /** JSON Schema of the input; a call that violates it answers `INVALID_ARGUMENT`. */
      readonly inputSchema?: JsonSchema;
      readonly stream?: false;
    }
  | {
      readonly handler: StreamHandler<Input>;
      readonly inputSchema?: JsonSchema;
      /** The result is an NDJSON stream. */
      readonly stream: true;
    };

/** One capability a plugin offers. */
export interface CapabilityDefinition {
  /** Capability type, e.g. `provider`; one URL path segment. A plugin offers each type once. */
  readonly type: string;
  readonly name?: string;
  // Endpoints of many input types live in one map; `any` keeps handler parameters assignable.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly endpoints: Readonly<Record<string, EndpointDefinition<any>>>;
  /** Extra fields printed in the capabilities document (a provider's `vendor`, …). */
  readonly fields?: Readonly<Record<string, unknown>>;
  /** Called once during shutdown, after in-flight calls finished (a provider drops its sessions). */
  readonly onShutdown?: (log: PluginLogger) => Promise<void> | void;
}

/** Everything `servePlugin` needs to know about a plugin. */
export interface PluginDefinition {
  readonly name: string;
  /** SemVer of the plugin. */
  readonly version: string;
  readonly capabilities: readonly CapabilityDefinition[];
  /** JSON Schema of the configuration on stdin; an invalid configuration stops the plugin. */
  readonly configSchema?: JsonSchema;
  /** Where records go instead of JSON lines on stderr. */
  readonly logger?: PluginLogger;
}

/**
 * Identity function that types a plugin definition, for modules run by `plugboard-plugin`.
 *
 * @example
 * export default definePlugin({ name: 'echo', version: '1.0.0', capabilities: [...] });
 */
export function definePlugin(definition: PluginDefinition): PluginDefinition {
  return definition;
}
