import type { GsSourceOptions, S3SourceOptions, TrustPolicy } from '@plugboard/installer';
import type { ClientPaths } from './config-paths.js';

/** How the client authenticates to one registry (seed 003's `auth` block). */
export type RegistryAuth =
  | { readonly type: 'none' }
  /** Seed 003's API key; Plugboard registries take it as a bearer token. */
  | { readonly type: 'api_key'; readonly apiKey: string }
  | { readonly type: 'bearer'; readonly token: string }
  | { readonly type: 'basic'; readonly username: string; readonly password: string };

/** One configured registry. */
export interface RegistryConfig {
  readonly name: string;
  /** The registry's API URL (`…/api/v1`; a bare origin gets `/api/v1` appended). */
  readonly url: string;
  /** Lower is asked first. */
  readonly priority: number;
  readonly timeoutMs: number;
  readonly auth: RegistryAuth;
}

/** The client configuration, validated and frozen. */
export interface ClientConfig {
  readonly paths: ClientPaths;
  readonly registries: readonly RegistryConfig[];
  readonly installRoot: string;
  readonly cacheDir: string;
  readonly lockFile: string | undefined;
  readonly trust: TrustPolicy;
  readonly github: { readonly apiUrl: string | undefined; readonly token: string | undefined };
  readonly oci: {
    readonly plainHttpHosts: readonly string[];
    readonly credentials: Readonly<
      Record<string, { readonly username: string; readonly password: string }>
    >;
  };
  readonly s3: S3SourceOptions;
  readonly gs: GsSourceOptions;
  readonly httpTimeoutMs: number;
  readonly maxDownloadBytes: number | undefined;
}

/** A registry's timeout when the config gives none (seed 003's example: 30s). */
export const DEFAULT_REGISTRY_TIMEOUT_MS = 30_000;
/** A registry's priority when the config gives none. */
export const DEFAULT_REGISTRY_PRIORITY = 100;
