import { createHash } from 'node:crypto';
import type {
  MetadataStore,
  MetadataStoreOptions,
  PluginInput,
  PublishVersionInput,
} from '@plugboard/store';

/** A database a test may use alone: each call of `open` opens a store on that same database. */
export interface StoreHarness {
  /** Opens a store on this harness's database. */
  open(options?: MetadataStoreOptions): Promise<MetadataStore>;
  /** Deletes the database (temp dir or schema). */
  destroy(): Promise<void>;
}

/** Creates a fresh, empty database for one test. */
export type HarnessFactory = () => Promise<StoreHarness>;

/** The two tenants every contract test starts with. */
export const DOMAIN_A = 'alpha';
export const DOMAIN_B = 'beta';

/** A clock that moves one second forward on every reading, so timestamps never tie. */
export function steppingClock(start = Date.parse('2030-01-01T00:00:00.000Z')): () => Date {
  let tick = 0;
  return () => new Date(start + 1000 * tick++);
}

/**
 * Runs `body` with a store on a fresh database holding domains `alpha` and `beta`, then closes the
 * store and drops the database, whatever happens.
 */
export async function withStore(
  factory: HarnessFactory,
  body: (store: MetadataStore, harness: StoreHarness) => Promise<void>,
  options: MetadataStoreOptions = {},
): Promise<void> {
  const harness = await factory();
  try {
    const store = await harness.open({ now: steppingClock(), ...options });
    try {
      await store.createDomain({ id: DOMAIN_A, name: 'Alpha Corp' });
      await store.createDomain({ id: DOMAIN_B, name: 'Beta Corp' });
      await body(store, harness);
    } finally {
      await store.close();
    }
  } finally {
    await harness.destroy();
  }
}

/** `sha256:` digest of a text. */
export function digestOf(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** A plugin input with a manifest that declares one `provider` capability. */
export function pluginInput(name: string, overrides: Partial<PluginInput> = {}): PluginInput {
  return {
    name,
    displayName: `Plugin ${name}`,
    description: `The ${name} plugin`,
    type: 'inventory.Collector',
    providers: ['aws'],
    labels: ['compute'],
    tags: { team: 'infra' },
    manifest: { name, capabilities: [{ type: 'provider', endpoints: ['collect'] }] },
    ...overrides,
  };
}

/** A publish input for `name@version` whose artifact digest depends on both. */
export function publishInput(
  name: string,
  version: string,
  overrides: Partial<PublishVersionInput> = {},
): PublishVersionInput {
  return {
    plugin: pluginInput(name, { description: `${name} at ${version}` }),
    version,
    manifest: { name, version },
    artifact: {
      digest: digestOf(`${name}@${version}`),
      size: 1234,
      mediaType: 'application/vnd.plugboard.plugin.v1+tar+gzip',
    },
    signatures: [{ keyId: 'key-1', signature: `sig-${version}` }],
    ...overrides,
  };
}

/** Awaits `promise` and returns the `code` of what it threw; fails when it does not throw. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : `not a PlugboardError: ${String(error)}`;
  }
  throw new Error('expected the operation to fail, but it succeeded');
}
