/**
 * The JSON shapes of the registry API (`/api/v1`), snake_case as the server sends them. They mirror
 * the server's views; the client does not re-validate every field, so treat values from a registry
 * you do not trust as untrusted input.
 */

/** The three kinds of repository (seed 000). */
export type RepositoryType = 'MANAGED' | 'LOCAL' | 'REMOTE';

/** Where a plugin came from. */
export interface RepositoryRef {
  readonly type: RepositoryType;
  /** `local`, `managed`, or a REMOTE repository's id. */
  readonly id: string;
  readonly name: string;
}

/** One plugin in a list. */
export interface PluginSummary {
  readonly name: string;
  readonly display_name?: string | undefined;
  readonly description?: string | undefined;
  readonly type?: string | undefined;
  readonly providers: readonly string[];
  readonly labels: readonly string[];
  readonly capabilities: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly icon?: string | undefined;
  readonly enabled: boolean;
  readonly state: 'enabled' | 'disabled';
  readonly repository_type: RepositoryType;
  readonly repository: RepositoryRef;
  readonly latest_version?: string | undefined;
  readonly deprecated: boolean;
  readonly signed: boolean;
  readonly image?:
    { readonly image: string; readonly registry_type?: string | undefined } | undefined;
  readonly created_at?: string | undefined;
  readonly updated_at?: string | undefined;
}

/** One version of a plugin. */
export interface VersionView {
  readonly version: string;
  readonly published?: string | undefined;
  readonly yanked: boolean;
  readonly yank_reason?: string | undefined;
  /** The deprecation message; absent while not deprecated. */
  readonly deprecated?: string | undefined;
  /** `sha256:…` of the artifact; absent for versions without one. */
  readonly digest?: string | undefined;
  readonly size?: number | undefined;
  readonly signatures: readonly { readonly key_id: string; readonly signature: string }[];
}

/** A plugin with its versions, dist-tags and manifest (`GET /plugins/{name}`). */
export interface PluginDetail extends PluginSummary {
  readonly versions: readonly VersionView[];
  readonly dist_tags: Readonly<Record<string, string>>;
  readonly manifest: Readonly<Record<string, unknown>>;
  readonly warnings?: readonly string[] | undefined;
}

/** Fields a plugin list can be sorted by. */
export type PluginSortField = 'name' | 'updated_at' | 'created_at';

/** Filters, order and page of `GET /plugins` (every filter narrows the result). */
export interface PluginListQuery {
  /** Case-insensitive substring of the name, display name, description or a label. */
  readonly q?: string | undefined;
  readonly provider?: string | undefined;
  readonly type?: string | undefined;
  readonly capability?: string | undefined;
  readonly label?: string | undefined;
  /** Only plugins of this repository type. */
  readonly repository?: RepositoryType | undefined;
  readonly state?: 'enabled' | 'disabled' | undefined;
  readonly sort?: PluginSortField | undefined;
  readonly order?: 'asc' | 'desc' | undefined;
  /** 1-based page. */
  readonly page?: number | undefined;
  readonly limit?: number | undefined;
  /** Column selection: only these keys are returned for each plugin. */
  readonly fields?: readonly string[] | undefined;
}

/** One page of a list; `warnings` name repositories that could not answer. */
export interface ListPage {
  readonly total: number;
  readonly page: number;
  readonly limit: number;
  readonly warnings: readonly string[];
}

/** `GET /plugins` and `GET /search`. */
export interface PluginList extends ListPage {
  readonly plugins: readonly PluginSummary[];
}

/** `GET /plugins/{name}/versions`. */
export interface VersionList extends ListPage {
  readonly versions: readonly VersionView[];
}

/** `GET /plugins/{name}/resolve?spec=…`: the version a spec picks and where to fetch it. */
export interface ResolvedPlugin {
  readonly name?: string | undefined;
  readonly version: string;
  readonly warnings: readonly string[];
  readonly repository_type?: RepositoryType | undefined;
  readonly digest?: string | undefined;
  readonly manifest_url?: string | undefined;
  readonly artifact_url?: string | undefined;
}

/** A repository as `GET /repositories` shows it (never a token). */
export interface RepositoryView {
  readonly id: string;
  readonly name: string;
  readonly type: RepositoryType;
  /** The catalog order: lower is asked first and wins a name clash (REMOTE: 200 + its own). */
  readonly priority: number;
  /** REMOTE only: the priority it was added with (orders REMOTE repositories among themselves). */
  readonly remote_priority?: number | undefined;
  /** Where the entry comes from: built in, the server's config file, or the API. */
  readonly origin: 'builtin' | 'config' | 'api';
  readonly endpoint?: string | undefined;
  readonly timeout_ms?: number | undefined;
  /** True when a token is stored for calling the remote. */
  readonly has_token?: boolean | undefined;
  readonly created_at?: string | undefined;
  readonly updated_at?: string | undefined;
}

/** `GET /repositories`. */
export interface RepositoryList extends ListPage {
  readonly repositories: readonly RepositoryView[];
}

/** What `POST /repositories` takes. */
export interface AddRepositoryInput {
  readonly name: string;
  /** The remote's registry URL, e.g. `https://registry.example.com/api/v1`. */
  readonly endpoint: string;
  readonly token?: string | undefined;
  readonly priority?: number | undefined;
  readonly timeout_ms?: number | undefined;
}

/** A signature over an artifact's digest string (Ed25519, base64). */
export interface VersionSignature {
  readonly key_id: string;
  readonly signature: string;
}

/** `POST /publish` → 201: the version that was stored. */
export interface PublishedVersion {
  readonly name: string;
  readonly version: string;
  readonly digest: string;
  readonly size: number;
  readonly media_type: string;
  readonly published: string;
  readonly signatures: readonly VersionSignature[];
  /** The manifest format the package used. */
  readonly format: string;
  readonly plugin_created: boolean;
  readonly artifact_url: string;
  readonly warnings: readonly string[];
}

/** `GET /healthz`. */
export interface HealthStatus {
  readonly status: string;
}
