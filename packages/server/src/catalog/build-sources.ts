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
import type { SourcesForScope } from './catalog.js';
import type { PluginSource } from './plugin-source.js';

/** Priority of REMOTE repositories before their own priority is added: after LOCAL and MANAGED. */
export const REMOTE_BASE_PRIORITY = 200;

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
 * from the config and the store, and the LOCAL writer the write routes use.
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
  // REMOTE repositories join here (REMOTE_BASE_PRIORITY + their priority) when they land.
  const forScope: SourcesForScope = async (scope) => {
    const sources: PluginSource[] = [];
    if (scope.domainId !== undefined) sources.push(local);
    if (scope.domainId !== undefined || config.anonymousRead) sources.push(managed.source);
    return sources;
  };
  return {
    forScope,
    refresh: () => managed.reload(),
    close: () => managed.close(),
  };
}
