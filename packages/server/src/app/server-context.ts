import type { BlobStore, MetadataStore } from '@plugboard/store';
import type { Catalog } from '../catalog/catalog.js';
import type { Authenticate } from '../auth/authenticate.js';
import type { ServerConfig } from '../config/server-config.js';
import type { ProviderService } from '../providers/provider-service.js';

/** What every route module receives: the server's parts, built once by the composition root. */
export interface ServerContext {
  readonly config: ServerConfig;
  readonly store: MetadataStore;
  readonly blobs: BlobStore;
  readonly catalog: Catalog;
  readonly authenticate: Authenticate;
  /** Re-reads MANAGED folders (and anything else cached from disk). */
  readonly refresh: () => Promise<{ managed: number; problems: readonly string[] }>;
  /** Providers, collection runs, resources and provider plugins (seed 004); absent → no such routes. */
  readonly providers?: ProviderService | undefined;
}
