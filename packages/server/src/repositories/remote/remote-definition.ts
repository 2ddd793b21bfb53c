import { parseRegistryUrl } from '@plugboard/client';
import {
  DEFAULT_REPOSITORY_PRIORITY,
  DEFAULT_REPOSITORY_TIMEOUT_MS,
  type RemoteRepositoryConnection,
} from '@plugboard/store';
import type { RemoteConfig } from '../../config/server-config.js';

/** Prefix of the ids of REMOTE repositories from the config file (store ids start with `repo-`). */
export const CONFIG_REMOTE_ID_PREFIX = 'config:';

/** Catalog priority of REMOTE repositories: after LOCAL (0) and MANAGED (100), then their own. */
export const REMOTE_PRIORITY_BASE = 200;

/** One REMOTE repository, from the store or the config file, with what is needed to call it. */
export interface RemoteDefinition {
  readonly id: string;
  readonly name: string;
  /** The remote's registry URL as configured (may not be shown: it could carry credentials). */
  readonly endpoint: string;
  /** Never returned, logged or put in a message. */
  readonly token: string | undefined;
  /** Why the stored token could not be opened (then every call fails with this, naming it). */
  readonly tokenProblem?: Error | undefined;
  /** The remote's own priority (lower first among REMOTEs). */
  readonly priority: number;
  readonly timeoutMs: number;
  /** `config` for the config file (visible to every domain), `api` for the store. */
  readonly origin: 'config' | 'api';
}

/** A REMOTE repository of the config file. */
export function definitionFromConfig(remote: RemoteConfig): RemoteDefinition {
  return {
    id: `${CONFIG_REMOTE_ID_PREFIX}${remote.name}`,
    name: remote.name,
    endpoint: remote.endpoint,
    token: remote.token,
    priority: remote.priority ?? DEFAULT_REPOSITORY_PRIORITY,
    timeoutMs: remote.timeout_ms ?? DEFAULT_REPOSITORY_TIMEOUT_MS,
    origin: 'config',
  };
}

/**
 * A REMOTE repository stored through the API, with its token already opened (`token`) or the
 * reason it could not be (`tokenProblem`).
 */
export function definitionFromConnection(
  connection: RemoteRepositoryConnection,
  token: { readonly token?: string | undefined; readonly problem?: Error | undefined },
): RemoteDefinition {
  return {
    id: connection.id,
    name: connection.name,
    endpoint: connection.endpoint,
    token: token.token,
    tokenProblem: token.problem,
    priority: connection.priority,
    timeoutMs: connection.timeoutMs,
    origin: 'api',
  };
}

/** True when two definitions call the same remote the same way (a cached source can be kept). */
export function sameConnection(a: RemoteDefinition, b: RemoteDefinition): boolean {
  return (
    a.name === b.name &&
    a.endpoint === b.endpoint &&
    a.token === b.token &&
    a.tokenProblem?.message === b.tokenProblem?.message &&
    a.priority === b.priority &&
    a.timeoutMs === b.timeoutMs
  );
}

/** The endpoint without `user:password@`, safe for responses and logs; the raw text if unparsable. */
export function displayEndpoint(endpoint: string): string {
  try {
    return parseRegistryUrl(endpoint).base;
  } catch {
    return endpoint.replace(/\/\/[^/@]*@/, '//');
  }
}
