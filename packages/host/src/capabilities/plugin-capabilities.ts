import {
  checkSchema,
  importManifest,
  isPlugboardError,
  PlugboardError,
  problemsError,
  type Capability,
  type Problem,
} from '@plugboard/core';
import {
  parseCapabilitiesOutput,
  type CapabilityDescriptor,
  type JsonSchema,
  type OcmCapabilitiesDocument,
} from '@plugboard/protocol';
import { fromProtocolError } from '../protocol-errors.js';

/** What a plugin's `capabilities` output says, in the host's terms. */
export interface PluginCapabilities {
  /** `plugboard/1` documents, or OCM's `supported…Types` form. */
  readonly format: 'plugboard/1' | 'ocm';
  /** Name the plugin gave itself (OCM documents carry none). */
  readonly name?: string;
  readonly version?: string;
  readonly capabilities: readonly Capability[];
  /** JSON Schema of the configuration the plugin reads on stdin. */
  readonly configSchema?: Record<string, unknown>;
}

/** Options of `readCapabilitiesOutput`. */
export interface ReadCapabilitiesOptions {
  /** Check every JSON Schema against the meta-schema (default); off for outputs checked before. */
  readonly checkSchemas?: boolean;
}

/**
 * Reads what `EXE capabilities` printed: a plugboard/1 document or OCM's form. Every JSON Schema it
 * carries is checked against the meta-schema; every problem is reported at once as
 * `PLUGIN_PROTOCOL_ERROR` with dot-paths such as `capabilities[0].schemas.collect`.
 */
export function readCapabilitiesOutput(
  text: string,
  subject: string,
  options: ReadCapabilitiesOptions = {},
): PluginCapabilities {
  let output;
  try {
    output = parseCapabilitiesOutput(text);
  } catch (error) {
    throw fromProtocolError(error, `${subject}: capabilities output`);
  }
  const result =
    output.format === 'ocm'
      ? fromOcmDocument(output.document, subject)
      : {
          format: 'plugboard/1' as const,
          name: output.document.name,
          version: output.document.version,
          capabilities: output.document.capabilities.map(fromDescriptor),
          ...(output.document.config_schema === undefined
            ? {}
            : { configSchema: toSchemaObject(output.document.config_schema) }),
        };
  if (options.checkSchemas === false) return result;
  const problems = [
    ...listCapabilitySchemaProblems(result.capabilities),
    ...schemaProblems(result.configSchema, 'config_schema'),
  ];
  if (problems.length > 0) {
    throw problemsError(
      'PLUGIN_PROTOCOL_ERROR',
      `${subject}: capabilities output carries invalid JSON Schemas`,
      problems,
    );
  }
  return result;
}

/** Lists invalid JSON Schemas among the capabilities' `schemas`, each with its dot-path. */
export function listCapabilitySchemaProblems(capabilities: readonly Capability[]): Problem[] {
  return capabilities.flatMap((capability, index) =>
    Object.entries(capability.schemas ?? {}).flatMap(([key, schema]) =>
      schemaProblems(schema, `capabilities[${index}].schemas.${key}`),
    ),
  );
}

function schemaProblems(schema: unknown, path: string): Problem[] {
  if (schema === undefined) return [];
  return checkSchema(schema).map((problem) => ({
    path: problem.path === '' ? path : `${path}.${problem.path}`,
    message: problem.message,
  }));
}

function fromDescriptor(descriptor: CapabilityDescriptor): Capability {
  const { schemas, endpoints, ...rest } = descriptor;
  const capability: Capability = { ...rest, endpoints: [...endpoints] };
  if (schemas !== undefined) {
    capability.schemas = Object.fromEntries(
      Object.entries(schemas).map(([endpoint, schema]) => [endpoint, toSchemaObject(schema)]),
    );
  }
  return capability;
}

// Boolean schemas are valid JSON Schema; the manifest model stores objects only.
function toSchemaObject(schema: JsonSchema): Record<string, unknown> {
  if (schema === true) return {};
  if (schema === false) return { not: {} };
  return schema;
}

/**
 * OCM's form is converted by core's OCM importer: each supported spec type becomes one capability
 * named after it (so `lookup(type, {name: specType})` finds it, aliases too), with its JSON Schema
 * (base64, as Go prints `[]byte`, or inline) under `schemas[specType]`.
 */
function fromOcmDocument(document: OcmCapabilitiesDocument, subject: string): PluginCapabilities {
  let imported;
  try {
    imported = importManifest(document, {
      format: 'ocm',
      source: `${subject}: capabilities output`,
    });
  } catch (error) {
    if (!isPlugboardError(error)) throw error;
    throw new PlugboardError('PLUGIN_PROTOCOL_ERROR', error.message, {
      cause: error,
      details: error.details,
    });
  }
  const { manifest } = imported;
  const named = typeof document['name'] === 'string' || typeof document['pluginName'] === 'string';
  return {
    format: 'ocm',
    ...(named ? { name: manifest.name } : {}),
    ...(manifest.version === undefined ? {} : { version: manifest.version }),
    capabilities: manifest.capabilities ?? [],
  };
}
