import { PATH_SEGMENT_PATTERN } from '@plugboard/protocol/call-path';
import type {
  CapabilityDefinition,
  EndpointDefinition,
  PluginDefinition,
} from './plugin-definition.js';

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
