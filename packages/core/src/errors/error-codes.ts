/**
 * The one table of Plugboard error codes. Every `PlugboardError` carries one of these codes; the
 * server maps it to `httpStatus`, the CLI to `exitCode`. `docs/errors.md` lists the same codes and a
 * test fails when the two drift apart.
 *
 * CLI exit codes: 1 internal, 2 usage, 3 invalid input, 4 not found, 5 conflict or incompatible,
 * 6 authentication or permission, 7 integrity (digest or signature), 8 plugin runtime, 9 unavailable.
 */
export const ERROR_CODES = {
  INTERNAL: {
    httpStatus: 500,
    exitCode: 1,
    description: 'An unexpected failure; details are logged, not returned.',
  },
  NOT_IMPLEMENTED: {
    httpStatus: 501,
    exitCode: 1,
    description: 'The operation is recognised but not supported by this build or backend.',
  },

  USAGE: {
    httpStatus: 400,
    exitCode: 2,
    description: 'A command line or request is malformed: unknown flag, missing argument.',
  },
  INVALID_ARGUMENT: {
    httpStatus: 400,
    exitCode: 2,
    description: 'An argument or query parameter has an invalid value.',
  },

  PARSE_ERROR: {
    httpStatus: 400,
    exitCode: 3,
    description: 'A document is not valid JSON or YAML.',
  },
  MANIFEST_INVALID: {
    httpStatus: 400,
    exitCode: 3,
    description:
      'A manifest does not satisfy its schema; details list every problem with its field path.',
  },
  FORMAT_UNKNOWN: {
    httpStatus: 400,
    exitCode: 3,
    description: 'The manifest format could not be detected, or the forced format does not exist.',
  },
  VERSION_INVALID: { httpStatus: 400, exitCode: 3, description: 'A version is not SemVer 2.0.' },
  VERSION_SPEC_INVALID: {
    httpStatus: 400,
    exitCode: 3,
    description: 'A version spec is neither a version, a range, `latest` nor a channel name.',
  },
  REFERENCE_INVALID: {
    httpStatus: 400,
    exitCode: 3,
    description: 'A plugin reference (`name@spec`, `oci://`, `https://`, …) cannot be parsed.',
  },
  REGISTRY_INDEX_INVALID: {
    httpStatus: 400,
    exitCode: 3,
    description: 'A registry index document does not satisfy its schema.',
  },
  CONFIG_INVALID: {
    httpStatus: 400,
    exitCode: 3,
    description: 'A configuration file or value is invalid.',
  },
  PACKAGE_INVALID: {
    httpStatus: 400,
    exitCode: 3,
    description: 'A plugin package (archive) is malformed or unsafe.',
  },

  UNAUTHENTICATED: {
    httpStatus: 401,
    exitCode: 6,
    description: 'No valid credentials were given.',
  },
  FORBIDDEN: {
    httpStatus: 403,
    exitCode: 6,
    description: 'The credentials do not allow this operation.',
  },

  NOT_FOUND: {
    httpStatus: 404,
    exitCode: 4,
    description: 'A file, route or record does not exist.',
  },
  PLUGIN_NOT_FOUND: { httpStatus: 404, exitCode: 4, description: 'No plugin has that name.' },
  VERSION_NOT_FOUND: {
    httpStatus: 404,
    exitCode: 4,
    description: 'No version of the plugin satisfies the spec.',
  },
  NO_PLUGINS_FOUND: {
    httpStatus: 404,
    exitCode: 4,
    description: 'Discovery found no plugin in the given folders.',
  },

  ALREADY_EXISTS: {
    httpStatus: 409,
    exitCode: 5,
    description: 'The record or version already exists and is immutable.',
  },
  CONFLICT: {
    httpStatus: 409,
    exitCode: 5,
    description: 'The operation conflicts with the current state (in use, already running, …).',
  },
  API_VERSION_INCOMPATIBLE: {
    httpStatus: 409,
    exitCode: 5,
    description: "A plugin's api_version requirements exclude the host's API version.",
  },
  CAPABILITY_CONFLICT: {
    httpStatus: 409,
    exitCode: 5,
    description: 'Two plugins register the same capability; details name both.',
  },

  PAYLOAD_TOO_LARGE: {
    httpStatus: 413,
    exitCode: 3,
    description: 'A body or archive exceeds its size limit.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    httpStatus: 415,
    exitCode: 3,
    description: 'The content type is not accepted here.',
  },
  RATE_LIMITED: { httpStatus: 429, exitCode: 9, description: 'Too many requests; retry later.' },

  DIGEST_MISMATCH: {
    httpStatus: 422,
    exitCode: 7,
    description: 'Content does not match its expected sha256 digest.',
  },
  SIGNATURE_INVALID: {
    httpStatus: 422,
    exitCode: 7,
    description: 'A signature is missing, malformed or does not verify against a trusted key.',
  },

  PLUGIN_START_FAILED: {
    httpStatus: 502,
    exitCode: 8,
    description: 'A plugin process could not be started or did not complete its handshake in time.',
  },
  PLUGIN_CRASHED: {
    httpStatus: 502,
    exitCode: 8,
    description: 'A plugin process exited while calls were in flight.',
  },
  PLUGIN_QUARANTINED: {
    httpStatus: 503,
    exitCode: 8,
    description: 'A plugin crashed too often and is not restarted until reset.',
  },
  PLUGIN_PROTOCOL_ERROR: {
    httpStatus: 502,
    exitCode: 8,
    description: 'A plugin answered something that is not valid plugboard/1.',
  },
  PLUGIN_CALL_FAILED: {
    httpStatus: 502,
    exitCode: 8,
    description: 'A plugin answered a call with an error of its own.',
  },
  TIMEOUT: {
    httpStatus: 504,
    exitCode: 8,
    description: 'An operation did not finish within its timeout.',
  },
  ABORTED: { httpStatus: 499, exitCode: 8, description: 'The caller aborted the operation.' },

  UNAVAILABLE: {
    httpStatus: 503,
    exitCode: 9,
    description: 'A dependency (remote registry, database, plugin) is unavailable right now.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

/** What the table says about one code. */
export interface ErrorCodeInfo {
  readonly httpStatus: number;
  readonly exitCode: number;
  readonly description: string;
}

/** Every Plugboard error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** True when `value` is a code from the table. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}
