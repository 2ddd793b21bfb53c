import type { BlobStore, MetadataStore } from '@plugboard/store';
import type { ServerConfig } from '../config/server-config.js';
import type { SourcesForScope } from './catalog.js';

/** The server's parts that repositories are built from. */
export interface SourceDependencies {
  readonly config: ServerConfig;
  readonly store: MetadataStore;
  readonly blobs: BlobStore;
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

/** Builds MANAGED, LOCAL and REMOTE sources from the config and the store. */
export async function buildSources(_dependencies: SourceDependencies): Promise<ServerSources> {
  // Filled in by the repositories work (MANAGED folders, LOCAL store, REMOTE peers).
  return {
    forScope: async () => [],
    refresh: async () => ({ managed: 0, problems: [] }),
    close: async () => {},
  };
}
