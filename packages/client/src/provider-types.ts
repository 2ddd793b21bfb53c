/**
 * The JSON shapes of the provider side of the API (seed 004): provider plugins, providers,
 * collection runs and resources, snake_case as the server sends them (its TypeBox schemas in
 * `packages/server/src/routes/provider-schemas.ts`). Values from a registry you do not trust are
 * untrusted input.
 */
import type { ListPage } from './registry-types.js';

/** Every state of a collection run; the last four are final. */
export type RunState = 'pending' | 'running' | 'completed' | 'partial' | 'failed' | 'canceled';

/** Run states after which nothing changes. */
export const FINAL_RUN_STATES: ReadonlySet<RunState> = new Set<RunState>([
  'completed',
  'partial',
  'failed',
  'canceled',
]);

/** True when a run in this state will not change any more. */
export function isFinalRunState(state: string): boolean {
  return (FINAL_RUN_STATES as ReadonlySet<string>).has(state);
}

/** An error as runs and connection tests report it. */
export interface ErrorSummary {
  readonly code: string;
  readonly message: string;
}

/** A provider as responses show it: secret parameters are masked as `********`. */
export interface ProviderView {
  readonly id: string;
  readonly name: string;
  readonly infrastructure: string | null;
  readonly vendor: string;
  readonly provider_type: string;
  /** `vendor:provider_type`, the provider plugin it is bound to. */
  readonly plugin_key: string;
  readonly endpoint: string | null;
  readonly organization: unknown;
  readonly connection_config: Readonly<Record<string, unknown>>;
  /** Names of the parameters whose values are secret (shown masked). */
  readonly secret_parameters: readonly string[];
  readonly enabled: boolean;
  /** Whether the plugin is installed on the server, and which one. */
  readonly plugin: {
    readonly installed: boolean;
    readonly name?: string | undefined;
    readonly version?: string | undefined;
  };
  readonly created_at: string;
  readonly updated_at: string;
}

/** `POST /providers` and `PATCH /providers/{id}`: the stored provider and the warnings. */
export interface ProviderWriteResult extends ProviderView {
  readonly warnings: readonly string[];
}

/** What `POST /providers` takes. */
export interface ProviderInput {
  /** Unique within the tenant. */
  readonly name: string;
  readonly vendor: string;
  readonly provider_type: string;
  readonly infrastructure?: string | null | undefined;
  readonly endpoint?: string | null | undefined;
  readonly organization?: number | string | null | undefined;
  /** Checked against the plugin's `connection_parameters`; secret ones are encrypted at rest. */
  readonly connection_config?: Readonly<Record<string, unknown>> | undefined;
  readonly enabled?: boolean | undefined;
}

/** What `PATCH /providers/{id}` takes: absent fields are kept; secrets sent as `********` too. */
export type ProviderUpdate = Partial<ProviderInput>;

/** Filters and page of `GET /providers`. */
export interface ProviderListQuery {
  readonly vendor?: string | undefined;
  readonly provider_type?: string | undefined;
  readonly enabled?: boolean | undefined;
  /** 1-based page. */
  readonly page?: number | undefined;
  readonly limit?: number | undefined;
}

/** `GET /providers`. */
export interface ProviderList extends ListPage {
  readonly providers: readonly ProviderView[];
}

/** A collection run: state, counts, error, plugin version and timings. */
export interface RunView {
  readonly id: string;
  readonly provider_id: string;
  readonly state: RunState;
  readonly plugin_key: string;
  readonly plugin_version: string | null;
  readonly resource_types: readonly string[] | null;
  readonly found: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly removed: number;
  /** Values the plugin yielded that were not resources. */
  readonly invalid: number;
  readonly error: ErrorSummary | null;
  readonly cancel_requested: boolean;
  readonly requested_by: string | null;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly duration_ms: number | null;
}

/** Filters and page of `GET /runs` (newest first). */
export interface RunListQuery {
  readonly provider_id?: string | undefined;
  readonly state?: RunState | undefined;
  readonly page?: number | undefined;
  readonly limit?: number | undefined;
}

/** `GET /runs`. */
export interface RunList extends ListPage {
  readonly runs: readonly RunView[];
}

/** A link from one resource to another, by the target's `ems_ref`. */
export interface ResourceLink {
  readonly type: string;
  readonly target_ems_ref: string;
  /** In `GET /resources/{id}`: the target's id, or null when it was not collected. */
  readonly target_id?: string | null | undefined;
}

/** A collected resource. */
export interface ResourceView {
  readonly id: string;
  readonly provider_id: string;
  readonly ems_ref: string;
  readonly resource_type: string;
  readonly name: string;
  readonly state: string | null;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly relationships: readonly ResourceLink[];
  readonly parent_ems_ref: string | null;
  readonly tags: Readonly<Record<string, string>>;
  readonly first_seen_at: string;
  readonly last_seen_at: string;
  readonly last_seen_run_id: string;
  readonly updated_at: string;
  readonly deleted: boolean;
  readonly deleted_at: string | null;
}

/** One change of a tracked field of a resource, seen by a run. */
export interface DriftEntry {
  readonly run_id: string;
  readonly field: string;
  readonly old_value: unknown;
  readonly new_value: unknown;
  readonly changed_at: string;
}

/** `GET /resources/{id}`: the resource, its parent's id and its drift history (newest first). */
export interface ResourceDetail extends ResourceView {
  readonly parent_id: string | null;
  readonly drift: readonly DriftEntry[];
}

/** Filters and page of `GET /resources` (by type, then name). */
export interface ResourceListQuery {
  readonly provider_id?: string | undefined;
  readonly resource_type?: string | undefined;
  readonly state?: string | undefined;
  /** Case-insensitive part of the name or `ems_ref`. */
  readonly q?: string | undefined;
  /** Soft-deleted resources too. */
  readonly include_deleted?: boolean | undefined;
  readonly page?: number | undefined;
  readonly limit?: number | undefined;
}

/** `GET /resources`. */
export interface ResourceList extends ListPage {
  readonly resources: readonly ResourceView[];
}

/** One entry of a provider plugin's `connection_parameters`. */
export interface ConnectionParameter {
  readonly name: string;
  readonly type?: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | undefined;
  readonly required?: boolean | undefined;
  readonly default?: unknown;
  /** Encrypted at rest, never returned. */
  readonly secret?: boolean | undefined;
  readonly description?: string | undefined;
  readonly label?: string | undefined;
}

/** An installed provider plugin in lists. */
export interface ProviderPluginSummary {
  /** `vendor:provider_type`. */
  readonly key: string;
  readonly vendor: string;
  readonly provider_type: string;
  readonly name: string;
  readonly version: string | null;
  readonly description: string | null;
  readonly resource_types: readonly string[];
  /** Providers of the caller's tenant bound to it. */
  readonly instances: number;
  readonly installed_at: string;
}

/** `GET /provider-plugins`; `warnings` name plugin folders that failed to load. */
export interface ProviderPluginList extends ListPage {
  readonly plugins: readonly ProviderPluginSummary[];
}

/** `GET /provider-plugins/{key}`. */
export interface ProviderPluginDetail extends ProviderPluginSummary {
  readonly display_name: string | null;
  readonly connection_parameters: readonly ConnectionParameter[];
  readonly dependencies: {
    readonly plugins: readonly Readonly<Record<string, unknown>>[];
    readonly packages: unknown;
  };
  readonly requirements: unknown;
  readonly runtime: unknown;
  readonly entrypoint: string | null;
  readonly endpoints: readonly string[];
  readonly warnings: readonly string[];
}

/** `POST /provider-plugins/upload` → 201: the installed plugin and the one it replaced. */
export interface ProviderPluginUpload extends ProviderPluginSummary {
  /** The entrypoint inside the package. */
  readonly class_path: string | null;
  readonly replaced: { readonly name: string; readonly version: string | null } | null;
  readonly warnings: readonly string[];
}

/** `DELETE /provider-plugins/{key}`: what was removed and the providers left without it. */
export interface ProviderPluginRemoval {
  readonly deleted: ProviderPluginSummary;
  readonly orphaned_providers: readonly {
    readonly id: string;
    readonly name: string;
    readonly domain_id: string;
  }[];
}

/** One provider's answer to `validate_connection`. */
export interface ConnectionTestResult {
  readonly provider_id: string;
  readonly name: string;
  readonly ok: boolean;
  readonly message?: string | undefined;
  readonly error?: ErrorSummary | undefined;
}

/** `POST /provider-plugins/{key}/test`: a result per enabled provider of that plugin. */
export interface ProviderPluginTest {
  readonly key: string;
  readonly results: readonly ConnectionTestResult[];
}

/** `POST /provider-plugins/refresh`: the plugins now installed and folders that failed. */
export interface ProviderPluginRefresh {
  readonly plugins: readonly ProviderPluginSummary[];
  readonly problems: readonly {
    readonly path: string;
    readonly code: string;
    readonly message: string;
  }[];
}
