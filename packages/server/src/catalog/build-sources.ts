import type { BlobStore, MetadataStore } from '@plugboard/store';
import type { ServerConfig } from '../config/server-config.js';
import { ImageVersionReader } from '../repositories/image/index.js';
import type { ProvidersUsingPlugin } from '../repositories/local/local-plugin-writer.js';
import { provideLocalPluginWriter } from '../repositories/local/local-services.js';
import { LOCAL_PRIORITY, LocalSource } from '../repositories/local/local-source.js';
import {
  pluginImageVersionsFrom,
  type PluginImageVersions,
} from '../repositories/local/plugin-image-versions.js';
import {
  ManagedRepository,
  type RepositoryLogger,
} from '../repositories/managed/managed-repository.js';
import { MANAGED_PRIORITY } from '../repositories/managed/managed-source.js';
import { RemoteSources, type RemoteSourcesOptions } from '../repositories/remote/remote-sources.js';
import type { SourcesForScope } from './catalog.js';
import type { PluginSource } from './plugin-source.js';

/** The server's parts that repositories are built from. */
export interface SourceDependencies {
  readonly config: ServerConfig;
  readonly store: MetadataStore;
  readonly blobs: BlobStore;
  readonly logger?: RepositoryLogger | undefined;
  /** Versions of image plugins; an `ImageVersionReader` on the real registries by default. */
  readonly imageVersions?: PluginImageVersions | undefined;
  /** Which providers use a plugin (seed 004); absent until providers exist. */
  readonly providersUsingPlugin?: ProvidersUsingPlugin | undefined;
  /** Reload MANAGED folders when their files change (default true). */
  readonly watchManaged?: boolean | undefined;
  /** REMOTE tuning for tests (network, clock, circuit breaker). */
  readonly remotes?: Pick<RemoteSourcesOptions, 'breaker' | 'listTtlMs' | 'fetch' | 'now'>;
}

/** The repositories of a server and their lifecycle. */
export interface ServerSources {
  /** The sources a caller may see: LOCAL and REMOTE of its domain, MANAGED when allowed. */
  readonly forScope: SourcesForScope;
  /** Re-reads MANAGED folders. */
  readonly refresh: () => Promise<{ managed: number; problems: readonly string[] }>;
  /** Stops file watchers and timers. */
  readonly close: () => Promise<void>;
}

/**
 * Builds the LOCAL (priority 0), MANAGED (100) and REMOTE (200 + the remote's priority) sources
 * from the config and the store, and the LOCAL writer the write routes use. A domain sees LOCAL,
 * MANAGED and its REMOTEs (the config file's and its own); an anonymous caller MANAGED only, and
 * only while `anonymousRead` allows it.
 */
export async function buildSources(dependencies: SourceDependencies): Promise<ServerSources> {
  const { config, store, blobs, logger } = dependencies;
  const imageVersions =
    dependencies.imageVersions ?? pluginImageVersionsFrom(new ImageVersionReader());
  provideLocalPluginWriter(store, {
    imageVersions,
    providersUsingPlugin: dependencies.providersUsingPlugin,
  });
  const local = new LocalSource(store, blobs, { priority: LOCAL_PRIORITY, imageVersions });
  const managed = await ManagedRepository.open({
    folders: config.managedDirs,
    priority: MANAGED_PRIORITY,
    imageVersions,
    logger,
    watch: dependencies.watchManaged,
  });
  const remotes = new RemoteSources({ config, store, blobs, logger, ...dependencies.remotes });
  const forScope: SourcesForScope = async (scope) => {
    const sources: PluginSource[] = [];
    if (scope.domainId !== undefined) sources.push(local);
    if (scope.domainId !== undefined || config.anonymousRead) sources.push(managed.source);
    // Anonymous callers get no REMOTE sources (forDomain(undefined) is empty).
    sources.push(...(await remotes.forDomain(scope.domainId, scope.via)));
    return sources;
  };
  return {
    forScope,
    refresh: () => managed.reload(),
    close: async () => {
      await remotes.close();
      await managed.close();
    },
  };
}
