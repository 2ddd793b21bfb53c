import { RegistryClient } from '@plugboard/client';
import { Installer, type RegistryEndpoint, type TransferProgress } from '@plugboard/installer';
import type { CliIo } from '../cli-io.js';
import type { ClientConfig, RegistryConfig } from './client-config.js';
import { readCredentials, type SavedCredentials } from './credentials-store.js';
import { loadClientConfig } from './load-client-config.js';
import { ProgressBar } from './progress-bar.js';

/** The config and a client for every configured registry. */
export interface ClientContext {
  readonly config: ClientConfig;
  readonly registries: readonly RegistryEndpoint[];
}

/** Loads the client config (honouring `--config`) and builds registry clients with their credentials. */
export async function openClientContext(
  io: CliIo,
  configFlag: string | undefined,
): Promise<ClientContext> {
  const config = await loadClientConfig({ env: io.env, cwd: io.cwd, configFlag });
  const saved = await readCredentials(config.paths.configDir);
  return {
    config,
    registries: config.registries.map((registry) => ({
      name: registry.name,
      priority: registry.priority,
      client: registryClient(registry, saved),
    })),
  };
}

/** A client for one configured registry: the config's auth, else a token saved by `plugboard login`. */
export function registryClient(registry: RegistryConfig, saved: SavedCredentials): RegistryClient {
  const auth = registry.auth;
  const savedToken = saved[registry.name]?.token;
  return new RegistryClient({
    url: registry.url,
    timeoutMs: registry.timeoutMs,
    token: auth.type === 'bearer' ? auth.token : auth.type === 'none' ? savedToken : undefined,
    // docs/cli.md: `auth.type: api_key` is sent as `X-API-Key: <key>`.
    apiKey: auth.type === 'api_key' ? auth.apiKey : undefined,
    basic: auth.type === 'basic' ? { username: auth.username, password: auth.password } : undefined,
  });
}

/**
 * An installer built from the client config: its registries, trust policy, install root, lock
 * file, cache and source settings, with a progress bar on stderr when it is a terminal.
 */
export function openInstaller(io: CliIo, context: ClientContext): Installer {
  const { config } = context;
  const bar = io.stderrIsTTY === true ? new ProgressBar(io.stderr) : undefined;
  return new Installer({
    installRoot: config.installRoot,
    lockFile: config.lockFile,
    cacheDir: config.cacheDir,
    registries: context.registries,
    trust: config.trust,
    maxDownloadBytes: config.maxDownloadBytes,
    httpTimeoutMs: config.httpTimeoutMs,
    github: config.github,
    oci: config.oci,
    s3: config.s3,
    gs: config.gs,
    cwd: io.cwd,
    onProgress:
      bar === undefined ? undefined : (progress: TransferProgress) => bar.update(progress),
    onWaitForLock: (owner) =>
      io.stderr(
        `waiting for another plugboard process${owner === undefined ? '' : ` (pid ${owner.pid})`} to finish with ${config.installRoot}…\n`,
      ),
    logger: {
      info: (message) => io.stderr(`note: ${message}\n`),
      warn: (message) => io.stderr(`warning: ${message}\n`),
    },
  });
}
