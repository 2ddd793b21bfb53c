import { checkSchema, problemsError, type Capability, type Problem } from '@plugboard/core';
import {
  isJsonObject,
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

/**
 * Reads what `EXE capabilities` printed: a plugboard/1 document or OCM's form. Every JSON Schema it
 * carries is checked against the meta-schema; every problem is reported at once as
 * `PLUGIN_PROTOCOL_ERROR` with dot-paths such as `capabilities[0].schemas.collect`.
 */
export function readCapabilitiesOutput(text: string, subject: string): PluginCapabilities {
  let output;
  try {
    output = parseCapabilitiesOutput(text);
  } catch (error) {
    throw fromProtocolError(error, `${subject}: capabilities output`);
  }
  const decodeProblems: Problem[] = [];
  const result =
    output.format === 'ocm'
      ? fromOcmDocument(output.document, decodeProblems)
      : {
          format: 'plugboard/1' as const,
          name: output.document.name,
          version: output.document.version,
          capabilities: output.document.capabilities.map(fromDescriptor),
          ...(output.document.config_schema === undefined
            ? {}
            : { configSchema: toSchemaObject(output.document.config_schema) }),
        };
  const problems = [
    ...decodeProblems,
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
 * OCM lists, per capability type, the spec types it supports. Each becomes one capability named
 * after the spec type (so `lookup(type, {name: specType})` finds it, aliases too), with the spec's
 * JSON Schema under `schemas[specType]`.
 */
function fromOcmDocument(
  document: OcmCapabilitiesDocument,
  problems: Problem[],
): PluginCapabilities {
  const capabilities: Capability[] = [];
  for (const [index, entry] of document.capabilities.entries()) {
    for (const [key, value] of Object.entries(entry)) {
      if (!/^supported.*Types$/.test(key) || !Array.isArray(value)) continue;
      for (const [typeIndex, supported] of (value as unknown[]).entries()) {
        if (!isJsonObject(supported) || typeof supported['type'] !== 'string') continue;
        const specType = supported['type'];
        const aliases = Array.isArray(supported['aliases'])
          ? supported['aliases'].filter((alias): alias is string => typeof alias === 'string')
          : [];
        const schema = decodeOcmSchema(supported['jsonSchema']);
        if (schema === null) {
          problems.push({
            path: `capabilities[${index}].${key}[${typeIndex}].jsonSchema`,
            message: 'is neither a JSON object nor JSON text (plain or base64)',
          });
          continue;
        }
        capabilities.push({
          type: entry.type,
          name: specType,
          ...(aliases.length > 0 ? { aliases } : {}),
          ...(schema === undefined ? {} : { schemas: { [specType]: schema } }),
        });
      }
    }
  }
  return { format: 'ocm', capabilities };
}

/**
 * OCM plugins are written in Go, where a `[]byte` JSON Schema marshals as base64; others print the
 * schema inline or as a JSON string. `null` means unreadable, which is reported, not dropped.
 */
function decodeOcmSchema(value: unknown): Record<string, unknown> | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (isJsonObject(value)) return value;
  if (typeof value === 'string') {
    for (const text of [value, Buffer.from(value, 'base64').toString('utf8')]) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (isJsonObject(parsed)) return parsed;
      } catch {
        // try the next reading
      }
    }
  }
  return null;
}
