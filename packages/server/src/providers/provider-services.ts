import { join } from 'node:path';
import type { HostLogger } from '@plugboard/host';
import { openProviderStore, type ProviderStore } from '@plugboard/store';
import { CollectionWorker, type CollectionWorkerOptions } from './collection-worker.js';
import {
  ProviderPluginRegistry,
  type ProviderPluginRegistryOptions,
} from './provider-plugin-registry.js';
import { ProviderService } from './provider-service.js';
import { SecretBox, loadSecretKey } from '../secrets/secret-box.js';
import { SecretRedactor } from './secret-redactor.js';

/** Folder of the data directory holding installed provider plugins. */
export const PROVIDER_PLUGINS_DIR = 'provider-plugins';
/** Folder of the data directory holding provider plugins' own data folders. */
export const PROVIDER_PLUGIN_DATA_DIR = 'provider-plugin-data';

/** What `openProviderServices` needs. */
export interface ProviderServicesOptions {
  /** The database URL (the metadata store's). */
  readonly database: string;
  readonly dataDir: string;
  /** `secret_key` from the config; generated into the data folder when absent. */
  readonly secretKey: string | undefined;
  /** Runs executed at once by this replica; 0 runs no worker here. */
  readonly concurrency: number;
  readonly logger?: HostLogger | undefined;
  readonly worker?: Omit<CollectionWorkerOptions, 'concurrency' | 'logger'> | undefined;
  readonly host?: ProviderPluginRegistryOptions['host'];
}

/** The provider parts of a running server, and how to stop them. */
export interface ProviderServices {
  readonly service: ProviderService;
  /** The providers, runs and resources store (e.g. to tell which providers use a plugin). */
  readonly store: ProviderStore;
  readonly worker: CollectionWorker | undefined;
  /** Stops the worker (runs in flight are failed), the plugins and the store. */
  close(): Promise<void>;
}

/**
 * Opens the provider store, the secret key, the installed plugins and (unless `concurrency` is
 * 0) a collection worker. Composition roots call this once.
 */
export async function openProviderServices(
  options: ProviderServicesOptions,
): Promise<ProviderServices> {
  const store = await openProviderStore(options.database, { logger: options.logger });
  let plugins: ProviderPluginRegistry | undefined;
  try {
    const secrets = new SecretBox(await loadSecretKey(options.secretKey, options.dataDir));
    // Plugins and runs log through it: secrets handed to plugins are masked in every record.
    const redactor = new SecretRedactor();
    const logger = options.logger === undefined ? undefined : redactor.wrap(options.logger);
    plugins = await ProviderPluginRegistry.open({
      root: join(options.dataDir, PROVIDER_PLUGINS_DIR),
      logger,
      host: { dataDir: join(options.dataDir, PROVIDER_PLUGIN_DATA_DIR), ...options.host },
    });
    const service = new ProviderService(store, plugins, secrets, redactor);
    const worker =
      options.concurrency > 0
        ? new CollectionWorker(service, {
            ...options.worker,
            concurrency: options.concurrency,
            logger,
          })
        : undefined;
    worker?.start();
    const registry = plugins;
    return {
      service,
      store,
      worker,
      async close() {
        await worker?.stop();
        await registry.close();
        await store.close();
      },
    };
  } catch (error) {
    await plugins?.close();
    await store.close();
    throw error;
  }
}
