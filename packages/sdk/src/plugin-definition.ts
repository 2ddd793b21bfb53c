import type { JsonSchema } from '@plugboard/protocol/capabilities';
import { PATH_SEGMENT_PATTERN } from '@plugboard/protocol/call-path';
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

/** Fields a capability's `fields` may not override: they are derived from its definition. */
const RESERVED_FIELDS = new Set(['type', 'name', 'endpoints', 'schemas', 'streaming']);

// A JavaScript author may pass anything; `Array.isArray` as a type guard would widen the typed
// array to any[], so the check is a plain boolean.
function isList(value: unknown): boolean {
  return Array.isArray(value);
}

/**
 * Checks a plugin definition for mistakes its author would otherwise only see at call time, and
 * throws a `TypeError` listing them all.
 */
export function checkPluginDefinition(definition: PluginDefinition): void {
  const problems: string[] = [];
  if (typeof definition.name !== 'string' || definition.name === '')
    problems.push('name must be a non-empty string');
  if (typeof definition.version !== 'string' || definition.version === '')
    problems.push('version must be a non-empty string');
  const capabilities: readonly CapabilityDefinition[] = definition.capabilities;
  if (!isList(capabilities)) {
    problems.push('capabilities must be an array');
  } else {
    const types = new Set<string>();
    capabilities.forEach((capability, index) => {
      const at = `capabilities[${index}]`;
      if (!PATH_SEGMENT_PATTERN.test(capability.type))
        problems.push(`${at}.type "${capability.type}" must be one URL path segment`);
      if (types.has(capability.type))
        problems.push(
          `${at}.type "${capability.type}" is offered twice; a plugin serves each type once at /v1/<type>/…`,
        );
      types.add(capability.type);
      for (const [endpoint, definitionOfEndpoint] of Object.entries(
        capability.endpoints as Record<string, EndpointDefinition<unknown>>,
      )) {
        if (!PATH_SEGMENT_PATTERN.test(endpoint))
          problems.push(`${at}.endpoints.${endpoint} is not a valid endpoint name`);
        if (typeof definitionOfEndpoint.handler !== 'function')
          problems.push(`${at}.endpoints.${endpoint}.handler must be a function`);
      }
      for (const field of Object.keys(capability.fields ?? {})) {
        if (RESERVED_FIELDS.has(field))
          problems.push(`${at}.fields.${field} is derived from the definition and cannot be set`);
      }
    });
  }
  if (problems.length > 0) throw new TypeError(`invalid plugin definition: ${problems.join('; ')}`);
}
