import { isJsonObject, jsonTypeName, ProblemList, type JsonObject } from '../json-shape.js';
import { protocolProblemsError, type ProtocolErrorCode } from '../protocol-error.js';

/** Capability type of inventory providers (seed 004). */
export const PROVIDER_CAPABILITY_TYPE = 'provider';

/** The endpoints of a provider capability. */
export const PROVIDER_ENDPOINTS = [
  'connect',
  'collect',
  'disconnect',
  'validate_connection',
] as const;

/** One provider endpoint name. */
export type ProviderEndpoint = (typeof PROVIDER_ENDPOINTS)[number];

/** Provider endpoints whose result is an NDJSON stream. */
export const PROVIDER_STREAMING_ENDPOINTS: readonly ProviderEndpoint[] = ['collect'];

/** How to reach one instance of the managed system. `config` may hold secrets. */
export interface ProviderConnection {
  /** Host name or URL of the managed system, e.g. `vcsa01.lab.local`. */
  readonly endpoint?: string;
  /** The provider's connection configuration, credentials included. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly [extra: string]: unknown;
}

/** Body of `POST /v1/provider/connect`. */
export interface ConnectRequest {
  readonly connection: ProviderConnection;
}

/** Answer of `connect`. */
export interface ConnectResponse {
  readonly session_id: string;
}

/** Body of `POST /v1/provider/collect`; the answer is an NDJSON stream of `ResourceData`. */
export interface CollectRequest {
  readonly session_id: string;
  /** Only these resource types; all supported types when absent. */
  readonly resource_types?: readonly string[];
}

/** Body of `POST /v1/provider/disconnect`; the answer is `{}`. */
export interface DisconnectRequest {
  readonly session_id: string;
}

/** Answer of `disconnect`: an empty object. */
export type DisconnectResponse = Record<string, never>;

/** Body of `POST /v1/provider/validate_connection`. */
export interface ValidateConnectionRequest {
  readonly connection: ProviderConnection;
}

/** Answer of `validate_connection`. A failed check is `ok: false`, not an HTTP error. */
export interface ValidateConnectionResponse {
  readonly ok: boolean;
  readonly message?: string;
}

type Check<T> = (value: JsonObject, problems: ProblemList) => T;

function parseBody<T>(
  value: unknown,
  subject: string,
  code: ProtocolErrorCode,
  check: Check<T>,
): T {
  if (!isJsonObject(value)) {
    throw protocolProblemsError(code, subject, [
      { path: '', message: `must be a JSON object, got ${jsonTypeName(value)}` },
    ]);
  }
  const problems = new ProblemList();
  const result = check(value, problems);
  if (!problems.empty) throw protocolProblemsError(code, subject, problems.problems);
  return result;
}

function checkConnection(value: JsonObject, problems: ProblemList): ProviderConnection {
  const connection = value['connection'];
  if (!isJsonObject(connection)) {
    problems.add(
      'connection',
      connection === undefined
        ? 'is required'
        : `must be an object, got ${jsonTypeName(connection)}`,
    );
    return { config: {} };
  }
  problems.optionalString(connection, 'endpoint', 'connection');
  const config = problems.optionalObject(connection, 'config', 'connection') ?? {};
  return { ...connection, config };
}

/** Parses a `connect` body; throws `INVALID_ARGUMENT` (the host sent it) listing every problem. */
export function parseConnectRequest(value: unknown): ConnectRequest {
  return parseBody(value, 'connect request', 'INVALID_ARGUMENT', (body, problems) => ({
    connection: checkConnection(body, problems),
  }));
}

/** Parses a `validate_connection` body; throws `INVALID_ARGUMENT`. */
export function parseValidateConnectionRequest(value: unknown): ValidateConnectionRequest {
  return parseBody(value, 'validate_connection request', 'INVALID_ARGUMENT', (body, problems) => ({
    connection: checkConnection(body, problems),
  }));
}

/** Parses a `collect` body; throws `INVALID_ARGUMENT`. */
export function parseCollectRequest(value: unknown): CollectRequest {
  return parseBody(value, 'collect request', 'INVALID_ARGUMENT', (body, problems) => {
    const sessionId = problems.requiredString(body, 'session_id', '') ?? '';
    const types = problems.optionalStringArray(body, 'resource_types', '');
    return { session_id: sessionId, ...(types === undefined ? {} : { resource_types: types }) };
  });
}

/** Parses a `disconnect` body; throws `INVALID_ARGUMENT`. */
export function parseDisconnectRequest(value: unknown): DisconnectRequest {
  return parseBody(value, 'disconnect request', 'INVALID_ARGUMENT', (body, problems) => ({
    session_id: problems.requiredString(body, 'session_id', '') ?? '',
  }));
}

/** Parses a `connect` answer; throws `PLUGIN_PROTOCOL_ERROR` (the plugin sent it). */
export function parseConnectResponse(value: unknown): ConnectResponse {
  return parseBody(value, 'connect answer', 'PLUGIN_PROTOCOL_ERROR', (body, problems) => ({
    session_id: problems.requiredString(body, 'session_id', '') ?? '',
  }));
}

/** Parses a `validate_connection` answer; throws `PLUGIN_PROTOCOL_ERROR`. */
export function parseValidateConnectionResponse(value: unknown): ValidateConnectionResponse {
  return parseBody(
    value,
    'validate_connection answer',
    'PLUGIN_PROTOCOL_ERROR',
    (body, problems) => {
      const ok = body['ok'];
      if (typeof ok !== 'boolean') {
        problems.add(
          'ok',
          ok === undefined ? 'is required' : `must be a boolean, got ${jsonTypeName(ok)}`,
        );
      }
      const message = problems.optionalString(body, 'message', '');
      return { ok: ok === true, ...(message === undefined ? {} : { message }) };
    },
  );
}
