import type { JsonObject } from '../metadata/plugin-record.js';

/**
 * A provider: one configured connection to a managed system (a vCenter, an AWS account), bound to
 * the provider plugin `vendor:provider_type` (seed 004). Secret connection parameters are kept
 * apart, encrypted by the caller: the store only ever sees their ciphertext and their names.
 */
export interface ProviderRecord {
  readonly id: string;
  readonly domainId: string;
  /** Unique per domain. */
  readonly name: string;
  /** e.g. `private_cloud`, `public_cloud`. */
  readonly infrastructure: string | undefined;
  readonly vendor: string;
  readonly providerType: string;
  /** Host name or URL of the managed system. */
  readonly endpoint: string | undefined;
  /** The owning organisation as the client named it (seed 004's `organization`). */
  readonly organization: string | undefined;
  /** Connection parameters that are not secret. */
  readonly config: JsonObject;
  /** Names of the secret connection parameters (their values are in `secretsCiphertext`). */
  readonly secretKeys: readonly string[];
  /** The secret parameters as the caller encrypted them; undefined when there are none. */
  readonly secretsCiphertext: string | undefined;
  readonly enabled: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What `createProvider` stores. */
export interface ProviderInput {
  /** A caller-chosen id (so the caller can bind ciphertext to it); generated when absent. */
  readonly id?: string | undefined;
  readonly name: string;
  readonly infrastructure?: string | undefined;
  readonly vendor: string;
  readonly providerType: string;
  readonly endpoint?: string | undefined;
  readonly organization?: string | undefined;
  readonly config: JsonObject;
  readonly secretKeys: readonly string[];
  readonly secretsCiphertext?: string | undefined;
  readonly enabled?: boolean | undefined;
}

/** Fields `updateProvider` changes; `null` clears an optional field, absent keeps it. */
export interface ProviderPatch {
  readonly name?: string | undefined;
  readonly infrastructure?: string | null | undefined;
  readonly vendor?: string | undefined;
  readonly providerType?: string | undefined;
  readonly endpoint?: string | null | undefined;
  readonly organization?: string | null | undefined;
  readonly config?: JsonObject | undefined;
  readonly secretKeys?: readonly string[] | undefined;
  readonly secretsCiphertext?: string | null | undefined;
  readonly enabled?: boolean | undefined;
}

/** Filters and paging of `listProviders`. */
export interface ProviderQuery {
  readonly vendor?: string | undefined;
  readonly providerType?: string | undefined;
  readonly enabled?: boolean | undefined;
  /** 1-based. */
  readonly page?: number | undefined;
  readonly limit?: number | undefined;
}

/** One page of providers, by name, and the total across pages. */
export interface ProviderPage {
  readonly providers: ProviderRecord[];
  readonly total: number;
}

/** How many providers use one plugin key. */
export interface PluginUsage {
  readonly vendor: string;
  readonly providerType: string;
  readonly count: number;
}
