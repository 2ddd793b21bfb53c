import type { MetadataStore } from '@plugboard/store';
import { LocalPluginWriter, type LocalPluginWriterOptions } from './local-plugin-writer.js';

const writers = new WeakMap<MetadataStore, LocalPluginWriter>();

/**
 * Makes the LOCAL writer built with the server's image-version reader and provider hook the one
 * the write routes use for `store`. `buildSources` calls it. Why a registry keyed by the store:
 * route modules receive only the `ServerContext`, which has no slot for repository services yet;
 * the store is the one part both sides share. (A `ServerContext` field would be the better home.)
 */
export function provideLocalPluginWriter(
  store: MetadataStore,
  options: LocalPluginWriterOptions,
): LocalPluginWriter {
  const writer = new LocalPluginWriter(store, options);
  writers.set(store, writer);
  return writer;
}

/**
 * The writer `buildSources` provided for `store`, or a plain one (no image check, no provider
 * hook) for an app built without `buildSources`.
 */
export function localPluginWriterFor(store: MetadataStore): LocalPluginWriter {
  let writer = writers.get(store);
  if (writer === undefined) {
    writer = new LocalPluginWriter(store);
    writers.set(store, writer);
  }
  return writer;
}
