import type { Readable } from 'node:stream';
import type { PluginQuery } from '@plugboard/store';
import type { PluginDetail, PluginSummary, RepositoryRef } from './plugin-view.js';

/**
 * What a source is asked for: the store's filters, sort and window, plus `names` — keep only
 * plugins with one of these names (the catalog uses it to count plugins found in several sources).
 */
export interface SourceQuery extends PluginQuery {
  readonly names?: readonly string[] | undefined;
}

/** Who is asking: the tenant whose LOCAL plugins and REMOTE repositories are visible. */
export interface CatalogScope {
  /** Undefined for anonymous readers, who see MANAGED plugins only (when allowed by config). */
  readonly domainId: string | undefined;
  /**
   * The Plugboard servers the request already went through, oldest first (its `Plugboard-Via`
   * header): REMOTE calls made for it pass the path on, and a path naming this server stops there.
   */
  readonly via?: readonly string[] | undefined;
}

/** One page from one source; `warnings` say what could not be included (a remote that is down). */
export interface SourcePage {
  readonly plugins: readonly PluginSummary[];
  readonly total: number;
  readonly warnings?: readonly string[];
}

/** An artifact to stream to a client. */
export interface ArtifactStream {
  readonly stream: Readable;
  readonly digest: string;
  readonly size: number;
  readonly mediaType: string;
}

/**
 * One repository as the catalog sees it: MANAGED (folders of manifests), LOCAL (the store) or
 * REMOTE (another Plugboard server). Lists are sorted as the query says (ties by name), so the
 * catalog can merge several sources into one globally sorted page.
 */
export interface PluginSource {
  readonly ref: RepositoryRef;
  /** Lower wins name clashes and comes first among equals. */
  readonly priority: number;
  /**
   * Plugins matching `query`, sorted as it says (ties by name); `offset`/`limit` select the window,
   * which may be larger than one store page. `total` counts every match.
   */
  list(scope: CatalogScope, query: SourceQuery): Promise<SourcePage>;
  /** One plugin with versions, or undefined when this source does not have it. */
  get(scope: CatalogScope, name: string): Promise<PluginDetail | undefined>;
  /** The manifest of one version, or undefined. */
  manifest(
    scope: CatalogScope,
    name: string,
    version: string,
  ): Promise<Record<string, unknown> | undefined>;
  /** The artifact of one version, or undefined when it has none. */
  artifact(scope: CatalogScope, name: string, version: string): Promise<ArtifactStream | undefined>;
}
