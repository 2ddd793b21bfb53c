/**
 * What the HTTP API returns for plugins and versions (snake_case, as in seeds 000 and 003).
 * Every repository kind produces these shapes, so clients never care where a plugin lives.
 */

/** The three kinds of repository (seed 000). */
export type RepositoryType = 'MANAGED' | 'LOCAL' | 'REMOTE';

/** Every repository type, in the default resolution priority (first wins a name clash). */
export const REPOSITORY_TYPES: readonly RepositoryType[] = ['LOCAL', 'MANAGED', 'REMOTE'];

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
  readonly display_name: string | undefined;
  readonly description: string | undefined;
  readonly type: string | undefined;
  readonly providers: readonly string[];
  readonly labels: readonly string[];
  readonly capabilities: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly icon: string | undefined;
  readonly enabled: boolean;
  readonly state: 'enabled' | 'disabled';
  readonly repository_type: RepositoryType;
  readonly repository: RepositoryRef;
  /** Highest non-prerelease, non-yanked version (or the `latest` dist-tag); absent when none. */
  readonly latest_version: string | undefined;
  /** True when the latest version is deprecated. */
  readonly deprecated: boolean;
  /** True when the latest version carries at least one signature. */
  readonly signed: boolean;
  /** For image plugins (seeds 000, 002): the OCI image its versions come from. */
  readonly image:
    { readonly image: string; readonly registry_type?: string | undefined } | undefined;
  readonly created_at: string | undefined;
  readonly updated_at: string | undefined;
}

/** One version of a plugin. */
export interface VersionView {
  readonly version: string;
  readonly published: string | undefined;
  readonly yanked: boolean;
  readonly yank_reason: string | undefined;
  /** The deprecation message; absent while not deprecated. */
  readonly deprecated: string | undefined;
  /** `sha256:…` of the artifact; absent for versions without one (image tags, bare manifests). */
  readonly digest: string | undefined;
  readonly size: number | undefined;
  readonly signatures: readonly { readonly key_id: string; readonly signature: string }[];
}

/** A plugin with its versions, dist-tags and manifest. */
export interface PluginDetail extends PluginSummary {
  readonly versions: readonly VersionView[];
  readonly dist_tags: Readonly<Record<string, string>>;
  /** The native manifest of the latest version (or the registered metadata). */
  readonly manifest: Readonly<Record<string, unknown>>;
}
