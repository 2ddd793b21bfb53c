import { PATH_SEGMENT_PATTERN } from './call-path.js';
import { MAX_CAPABILITIES_LENGTH } from './defaults.js';
import { childPath, isJsonObject, jsonTypeName, parseJsonText, ProblemList } from './json-shape.js';
import { ProtocolError, protocolProblemsError } from './protocol-error.js';
import { PROTOCOL_VERSION, protocolMismatch, type ProtocolVersion } from './version.js';

/** A JSON Schema document (draft 2020-12): an object, or `true`/`false`. */
export type JsonSchema = Record<string, unknown> | boolean;

/**
 * One capability in a capabilities document. Extra fields (for a provider: `vendor`,
 * `provider_type`, `resource_types`) are kept as they are.
 */
export interface CapabilityDescriptor {
  readonly type: string;
  readonly name?: string;
  /** Endpoints served at `POST /v1/<type>/<endpoint>`. */
  readonly endpoints: readonly string[];
  /** JSON Schema of each endpoint's call input, by endpoint name. */
  readonly schemas?: Readonly<Record<string, JsonSchema>>;
  /** Endpoints whose result is an NDJSON stream (an optional plugboard/1 field). */
  readonly streaming?: readonly string[];
  readonly [extra: string]: unknown;
}

/** What `EXE capabilities` prints: one JSON document. */
export interface CapabilitiesDocument {
  readonly protocol: ProtocolVersion;
  readonly name: string;
  readonly version: string;
  readonly capabilities: readonly CapabilityDescriptor[];
  /** JSON Schema of the configuration passed on stdin. */
  readonly config_schema?: JsonSchema;
  readonly [extra: string]: unknown;
}

/** One type entry of an OCM capabilities document (`supported…Types`). */
export interface OcmSupportedType {
  readonly type: string;
  readonly aliases?: readonly string[];
  readonly jsonSchema?: unknown;
  readonly [extra: string]: unknown;
}

/** OCM's capabilities form: `{"capabilities":[{"type":…,"supportedRepositoryTypes":[…]}]}`. */
export interface OcmCapabilitiesDocument {
  readonly capabilities: readonly { readonly type: string; readonly [extra: string]: unknown }[];
  readonly [extra: string]: unknown;
}

/** What a capabilities output turned out to be. */
export type CapabilitiesOutput =
  | { readonly format: 'plugboard'; readonly document: CapabilitiesDocument }
  | { readonly format: 'ocm'; readonly document: OcmCapabilitiesDocument };

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'boolean' || isJsonObject(value);
}

/**
 * Validates a parsed plugboard/1 capabilities document, reporting every problem with its path
 * (`capabilities[0].endpoints[1]`). Throws `PLUGIN_PROTOCOL_ERROR`.
 */
export function parseCapabilitiesDocument(value: unknown): CapabilitiesDocument {
  if (!isJsonObject(value)) {
    throw protocolProblemsError('PLUGIN_PROTOCOL_ERROR', 'capabilities document', [
      { path: '', message: `must be a JSON object, got ${jsonTypeName(value)}` },
    ]);
  }
  const problems = new ProblemList();
  const mismatch = protocolMismatch(value['protocol']);
  if (mismatch !== undefined) problems.add('protocol', mismatch);
  problems.requiredString(value, 'name', '');
  problems.requiredString(value, 'version', '');
  const configSchema = value['config_schema'];
  if (configSchema !== undefined && !isSchema(configSchema)) {
    problems.add(
      'config_schema',
      `must be a JSON Schema object, got ${jsonTypeName(configSchema)}`,
    );
  }
  const list = value['capabilities'];
  if (!Array.isArray(list)) {
    problems.add(
      'capabilities',
      list === undefined ? 'is required' : `must be an array, got ${jsonTypeName(list)}`,
    );
  } else {
    const seen = new Map<string, number>();
    list.forEach((item: unknown, index) => {
      checkCapability(item, childPath('capabilities', index), problems);
      if (isJsonObject(item) && typeof item['type'] === 'string') {
        const key = `${item['type']}/${typeof item['name'] === 'string' ? item['name'] : ''}`;
        const first = seen.get(key);
        if (first !== undefined) {
          problems.add(
            childPath('capabilities', index),
            `repeats the type and name of capabilities[${first}]`,
          );
        } else {
          seen.set(key, index);
        }
      }
    });
  }
  if (!problems.empty) {
    throw protocolProblemsError(
      'PLUGIN_PROTOCOL_ERROR',
      'capabilities document',
      problems.problems,
    );
  }
  return value as unknown as CapabilitiesDocument;
}

function checkCapability(item: unknown, path: string, problems: ProblemList): void {
  if (!isJsonObject(item)) {
    problems.add(path, `must be an object, got ${jsonTypeName(item)}`);
    return;
  }
  const type = problems.requiredString(item, 'type', path);
  if (type !== undefined && !PATH_SEGMENT_PATTERN.test(type)) {
    problems.add(
      childPath(path, 'type'),
      'must be letters, digits, "_", "-" or "." (it is a URL path segment)',
    );
  }
  problems.optionalString(item, 'name', path);
  const endpoints = item['endpoints'];
  const endpointsPath = childPath(path, 'endpoints');
  const names = new Set<string>();
  if (!Array.isArray(endpoints)) {
    problems.add(
      endpointsPath,
      endpoints === undefined
        ? 'is required'
        : `must be an array of strings, got ${jsonTypeName(endpoints)}`,
    );
  } else {
    endpoints.forEach((endpoint: unknown, index) => {
      const at = childPath(endpointsPath, index);
      if (typeof endpoint !== 'string')
        problems.add(at, `must be a string, got ${jsonTypeName(endpoint)}`);
      else if (!PATH_SEGMENT_PATTERN.test(endpoint))
        problems.add(at, `"${endpoint}" is not a valid endpoint name`);
      else if (names.has(endpoint)) problems.add(at, `repeats "${endpoint}"`);
      else names.add(endpoint);
    });
  }
  const schemas = problems.optionalObject(item, 'schemas', path);
  for (const [endpoint, schema] of Object.entries(schemas ?? {})) {
    if (!isSchema(schema)) {
      problems.add(
        childPath(childPath(path, 'schemas'), endpoint),
        `must be a JSON Schema object, got ${jsonTypeName(schema)}`,
      );
    }
  }
  const streaming = problems.optionalStringArray(item, 'streaming', path);
  streaming?.forEach((endpoint, index) => {
    if (Array.isArray(endpoints) && !names.has(endpoint)) {
      problems.add(
        childPath(childPath(path, 'streaming'), index),
        `"${endpoint}" is not in endpoints`,
      );
    }
  });
}

/** True when a parsed document looks like OCM's form: capabilities whose entries have no `endpoints`. */
export function isOcmCapabilitiesDocument(value: unknown): value is OcmCapabilitiesDocument {
  if (!isJsonObject(value) || value['protocol'] !== undefined) return false;
  const list = value['capabilities'];
  return (
    Array.isArray(list) &&
    list.every(
      (item: unknown) =>
        isJsonObject(item) &&
        typeof item['type'] === 'string' &&
        item['endpoints'] === undefined &&
        Object.keys(item).some((key) => /^supported.*Types$/.test(key)),
    )
  );
}

/**
 * Parses what `EXE capabilities` printed: a plugboard/1 document, or OCM's form. Surrounding
 * whitespace is ignored; anything else (including several documents) is `PLUGIN_PROTOCOL_ERROR`.
 */
export function parseCapabilitiesOutput(text: string): CapabilitiesOutput {
  if (text.length > MAX_CAPABILITIES_LENGTH) {
    throw new ProtocolError(
      'PAYLOAD_TOO_LARGE',
      `capabilities output is ${text.length} characters; at most ${MAX_CAPABILITIES_LENGTH} are read`,
    );
  }
  const trimmed = text.trim();
  if (trimmed === '') {
    throw new ProtocolError('PLUGIN_PROTOCOL_ERROR', 'capabilities output is empty', {
      problems: [{ path: '', message: 'is empty' }],
    });
  }
  const value = parseJsonText(trimmed, 'capabilities output', 'PLUGIN_PROTOCOL_ERROR');
  if (isOcmCapabilitiesDocument(value)) return { format: 'ocm', document: value };
  return { format: 'plugboard', document: parseCapabilitiesDocument(value) };
}

/** Finds a capability by type (and name, when given) in a document. */
export function findCapability(
  document: CapabilitiesDocument,
  type: string,
  name?: string,
): CapabilityDescriptor | undefined {
  return document.capabilities.find(
    (capability) => capability.type === type && (name === undefined || capability.name === name),
  );
}

/** Builds a document with `protocol` filled in (what a plugin prints). */
export function capabilitiesDocument(fields: {
  readonly name: string;
  readonly version: string;
  readonly capabilities: readonly CapabilityDescriptor[];
  readonly config_schema?: JsonSchema;
}): CapabilitiesDocument {
  return { ...fields, protocol: PROTOCOL_VERSION };
}
