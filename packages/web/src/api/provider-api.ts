import { apiRequest } from './registry-api.js';

/**
 * Providers, collection runs, resources and provider plugins (seed 004) over `/api/v1`, in the
 * shapes the server documents. Values come from the server and are shown as text only.
 */

/** A page of any provider-side list. */
export interface ProviderListPage {
  readonly total: number;
  readonly page: number;
  readonly limit: number;
  readonly warnings: readonly string[];
}

/** `GET /providers/{id}`: a provider with secret parameters masked. */
export interface ProviderView {
  readonly id: string;
  readonly name: string;
  readonly infrastructure: string | null;
  readonly vendor: string;
  readonly provider_type: string;
  readonly plugin_key: string;
  readonly endpoint: string | null;
  readonly connection_config: Readonly<Record<string, unknown>>;
  readonly secret_parameters: readonly string[];
  readonly enabled: boolean;
  readonly plugin: {
    readonly installed: boolean;
    readonly name?: string;
    readonly version?: string;
  };
  readonly created_at: string;
  readonly updated_at: string;
}

/** States a collection run ends in. */
export const FINAL_RUN_STATES: ReadonlySet<string> = new Set([
  'completed',
  'partial',
  'failed',
  'canceled',
]);

/** A collection run (`GET /runs/{id}`). */
export interface RunView {
  readonly id: string;
  readonly provider_id: string;
  readonly state: string;
  readonly plugin_key: string;
  readonly plugin_version: string | null;
  readonly found: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly removed: number;
  readonly invalid: number;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly cancel_requested: boolean;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly duration_ms: number | null;
}

/** A collected resource (`GET /resources`). */
export interface ResourceView {
  readonly id: string;
  readonly provider_id: string;
  readonly ems_ref: string;
  readonly resource_type: string;
  readonly name: string;
  readonly state: string | null;
  readonly tags: Readonly<Record<string, string>>;
  readonly last_seen_at: string;
  readonly deleted: boolean;
}

/** One entry of a provider plugin's `connection_parameters`. */
export interface ConnectionParameterView {
  readonly name: string;
  readonly type?: string;
  readonly required?: boolean;
  readonly secret?: boolean;
  readonly default?: unknown;
  readonly description?: string;
}

/** An installed provider plugin (`GET /provider-plugins`). */
export interface ProviderPluginSummary {
  readonly key: string;
  readonly vendor: string;
  readonly provider_type: string;
  readonly name: string;
  readonly version: string | null;
  readonly description: string | null;
  readonly resource_types: readonly string[];
  readonly instances: number;
}

/** `GET /provider-plugins/{key}`. */
export interface ProviderPluginDetail extends ProviderPluginSummary {
  readonly display_name: string | null;
  readonly connection_parameters: readonly ConnectionParameterView[];
}

/** What `POST /providers` takes. */
export interface CreateProviderInput {
  readonly name: string;
  readonly vendor: string;
  readonly provider_type: string;
  readonly endpoint?: string | undefined;
  readonly infrastructure?: string | undefined;
  readonly connection_config: Readonly<Record<string, unknown>>;
}

/** Filters and page of `GET /resources`. */
export interface ResourceQuery {
  readonly provider_id?: string | undefined;
  readonly resource_type?: string | undefined;
  readonly state?: string | undefined;
  readonly q?: string | undefined;
  readonly include_deleted?: boolean | undefined;
  readonly page?: number | undefined;
  readonly limit?: number | undefined;
}

type Signal = { readonly signal?: AbortSignal | undefined };

/** `GET /provider-plugins`. */
export function listProviderPlugins(options: Signal = {}) {
  return apiRequest<ProviderListPage & { plugins: ProviderPluginSummary[] }>(
    'GET',
    '/provider-plugins',
    options,
  );
}

/** `GET /provider-plugins/{key}`: with its connection parameters. */
export function getProviderPlugin(key: string, options: Signal = {}) {
  return apiRequest<ProviderPluginDetail>(
    'GET',
    `/provider-plugins/${encodeURIComponent(key)}`,
    options,
  );
}

/** `GET /providers`. */
export function listProviders(query: { page?: number; limit?: number }, options: Signal = {}) {
  return apiRequest<ProviderListPage & { providers: ProviderView[] }>('GET', '/providers', {
    query,
    signal: options.signal,
  });
}

/** `POST /providers` (publisher role). */
export function createProvider(input: CreateProviderInput) {
  return apiRequest<ProviderView & { warnings: string[] }>('POST', '/providers', { json: input });
}

/** `GET /providers/{id}`. */
export function getProvider(id: string, options: Signal = {}) {
  return apiRequest<ProviderView>('GET', `/providers/${encodeURIComponent(id)}`, options);
}

/** `POST /providers/{id}/collect` (publisher role) → the queued run. */
export function collectProvider(id: string) {
  return apiRequest<RunView>('POST', `/providers/${encodeURIComponent(id)}/collect`, { json: {} });
}

/** `GET /runs/{id}`. */
export function getRun(id: string, options: Signal = {}) {
  return apiRequest<RunView>('GET', `/runs/${encodeURIComponent(id)}`, options);
}

/** `GET /runs?provider_id=`: newest first. */
export function listRuns(
  query: { provider_id?: string; page?: number; limit?: number },
  options: Signal = {},
) {
  return apiRequest<ProviderListPage & { runs: RunView[] }>('GET', '/runs', {
    query,
    signal: options.signal,
  });
}

/** `GET /resources` with filters and paging. */
export function listResources(query: ResourceQuery, options: Signal = {}) {
  return apiRequest<ProviderListPage & { resources: ResourceView[] }>('GET', '/resources', {
    query: { ...query },
    signal: options.signal,
  });
}
