import type {
  CapabilitiesDocument,
  CapabilityDescriptor,
  JsonSchema,
} from '@plugboard/protocol/capabilities';
import { PROTOCOL_VERSION } from '@plugboard/protocol/version';
import type { PluginDefinition } from './plugin-definition.js';

/** The document `EXE capabilities` prints for a definition. */
export function buildCapabilitiesDocument(definition: PluginDefinition): CapabilitiesDocument {
  const capabilities = definition.capabilities.map((capability): CapabilityDescriptor => {
    const endpoints = Object.keys(capability.endpoints);
    const schemas: Record<string, JsonSchema> = {};
    const streaming: string[] = [];
    for (const [endpoint, { inputSchema, stream }] of Object.entries(capability.endpoints)) {
      if (inputSchema !== undefined) schemas[endpoint] = inputSchema;
      if (stream === true) streaming.push(endpoint);
    }
    return {
      type: capability.type,
      ...(capability.name === undefined ? {} : { name: capability.name }),
      ...capability.fields,
      endpoints,
      ...(Object.keys(schemas).length > 0 ? { schemas } : {}),
      ...(streaming.length > 0 ? { streaming } : {}),
    };
  });
  return {
    protocol: PROTOCOL_VERSION,
    name: definition.name,
    version: definition.version,
    capabilities,
    ...(definition.configSchema === undefined ? {} : { config_schema: definition.configSchema }),
  };
}
