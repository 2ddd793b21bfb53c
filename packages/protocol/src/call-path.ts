import { ProtocolError } from './protocol-error.js';

/** Path of the health endpoint: `GET /healthz`. */
export const HEALTH_PATH = '/healthz';

/** Path of the shutdown endpoint: `POST /shutdown`. */
export const SHUTDOWN_PATH = '/shutdown';

/** Prefix of every call path: `POST /v1/<capability-type>/<endpoint>`. */
export const CALL_PATH_PREFIX = '/v1/';

/**
 * What a capability type or an endpoint name may look like: it is one URL path segment, so letters,
 * digits, `_`, `-` and `.`, starting with a letter or digit.
 */
export const PATH_SEGMENT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** The two parts of a call path. */
export interface CallTarget {
  readonly type: string;
  readonly endpoint: string;
}

/**
 * The path a host POSTs to for a call: `callPath('provider', 'collect')` → `/v1/provider/collect`.
 * Throws a `USAGE` `ProtocolError` when a part is not a valid path segment.
 */
export function callPath(type: string, endpoint: string): string {
  for (const [what, value] of [
    ['capability type', type],
    ['endpoint', endpoint],
  ] as const) {
    if (!PATH_SEGMENT_PATTERN.test(value)) {
      throw new ProtocolError('USAGE', `${what} "${value}" is not a valid path segment`, {
        problems: [
          {
            path: what === 'endpoint' ? 'endpoint' : 'type',
            message: 'is not a valid path segment',
          },
        ],
      });
    }
  }
  return `${CALL_PATH_PREFIX}${type}/${endpoint}`;
}

/** Splits `/v1/<type>/<endpoint>` (a query string is ignored); `undefined` when it is not a call path. */
export function parseCallPath(path: string): CallTarget | undefined {
  const bare = path.split('?')[0] ?? '';
  if (!bare.startsWith(CALL_PATH_PREFIX)) return undefined;
  const parts = bare.slice(CALL_PATH_PREFIX.length).split('/');
  if (parts.length !== 2) return undefined;
  const [type, endpoint] = parts as [string, string];
  if (!PATH_SEGMENT_PATTERN.test(type) || !PATH_SEGMENT_PATTERN.test(endpoint)) return undefined;
  return { type, endpoint };
}
