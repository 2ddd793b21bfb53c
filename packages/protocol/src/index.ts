/**
 * `@plugboard/protocol`: the host↔plugin contract plugboard/1 as types, constants and validating
 * parsers. Pure: no Node APIs, no dependencies. The full text is `docs/protocol.md`.
 *
 * @example
 * import { parseHandshakeLine, callPath } from '@plugboard/protocol';
 * const { parsedAddress } = parseHandshakeLine(firstStdoutLine);
 * const path = callPath('provider', 'collect'); // '/v1/provider/collect'
 */
export {
  PROTOCOL_VERSION,
  PROTOCOL_ENV_VAR,
  protocolMismatch,
  type ProtocolVersion,
} from './version.js';
export {
  ProtocolError,
  isProtocolError,
  protocolProblemsError,
  type ProtocolErrorCode,
  type ProtocolProblem,
} from './protocol-error.js';
export { isJsonObject, jsonTypeName, type JsonObject } from './json-shape.js';
export {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_HOST_IDLE_TIMEOUT_MS,
  DEFAULT_CAPABILITIES_TIMEOUT_MS,
  DEFAULT_START_TIMEOUT_MS,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_SHUTDOWN_GRACE_MS,
  DEFAULT_SIGTERM_GRACE_MS,
  MAX_UNIX_SOCKET_PATH_BYTES,
  MAX_HANDSHAKE_LINE_LENGTH,
  MAX_CONFIG_LINE_LENGTH,
  MAX_CAPABILITIES_LENGTH,
  DEFAULT_MAX_NDJSON_LINE_LENGTH,
  DEFAULT_MAX_REQUEST_BODY_BYTES,
  MAX_LOG_LINE_LENGTH,
} from './defaults.js';
export {
  TIMEOUT_HEADER,
  REQUEST_ID_HEADER,
  JSON_CONTENT_TYPE,
  NDJSON_CONTENT_TYPE,
  parseTimeoutHeader,
  isNdjsonContentType,
} from './headers.js';
export {
  parseAddress,
  formatAddress,
  isLoopbackHost,
  utf8ByteLength,
  socketPathProblem,
  type PluginAddress,
} from './address.js';
export {
  HEALTH_PATH,
  SHUTDOWN_PATH,
  CALL_PATH_PREFIX,
  PATH_SEGMENT_PATTERN,
  callPath,
  parseCallPath,
  type CallTarget,
} from './call-path.js';
export {
  CAPABILITIES_COMMAND,
  SERVE_COMMAND,
  SOCKET_FLAG,
  serveArgs,
  parsePluginArgs,
  type PluginCommand,
} from './plugin-command.js';
export {
  parseCapabilitiesDocument,
  parseCapabilitiesOutput,
  isOcmCapabilitiesDocument,
  findCapability,
  capabilitiesDocument,
  type JsonSchema,
  type CapabilityDescriptor,
  type CapabilitiesDocument,
  type CapabilitiesOutput,
  type OcmCapabilitiesDocument,
  type OcmSupportedType,
} from './capabilities.js';
export { parseConfigLine, formatConfigLine, type StdinConfigLine } from './config-line.js';
export { parseHandshakeLine, formatHandshakeLine, type Handshake } from './handshake.js';
export {
  WIRE_ERROR_CODES,
  ERROR_CODE_PATTERN,
  httpStatusForCode,
  errorBody,
  parseErrorBody,
  isStreamErrorLine,
  type ErrorBody,
} from './error-body.js';
export { parseHealthBody, type HealthBody } from './health.js';
export {
  NdjsonLineSplitter,
  parseNdjsonLine,
  formatNdjsonLine,
  ndjsonValues,
  type NdjsonLineSplitterOptions,
} from './ndjson.js';
export {
  parseResourceData,
  resourceDataProblems,
  type ResourceData,
  type ResourceRelationship,
} from './provider/resource-data.js';
export {
  PROVIDER_CAPABILITY_TYPE,
  PROVIDER_ENDPOINTS,
  PROVIDER_STREAMING_ENDPOINTS,
  parseConnectRequest,
  parseCollectRequest,
  parseDisconnectRequest,
  parseValidateConnectionRequest,
  parseConnectResponse,
  parseValidateConnectionResponse,
  type ProviderEndpoint,
  type ProviderConnection,
  type ConnectRequest,
  type ConnectResponse,
  type CollectRequest,
  type DisconnectRequest,
  type DisconnectResponse,
  type ValidateConnectionRequest,
  type ValidateConnectionResponse,
} from './provider/provider-messages.js';
export { PROVIDER_INPUT_SCHEMAS } from './provider/provider-schemas.js';
export {
  isProviderCapability,
  providerKey,
  type ProviderCapabilityDescriptor,
} from './provider/provider-capability.js';
