import type { JsonObject } from '../metadata/plugin-record.js';

/** A link from one resource to another of the same provider, by the target's `ems_ref`. */
export interface ResourceLink {
  readonly type: string;
  readonly targetEmsRef: string;
}

/** One resource as a collection run yields it (the protocol's ResourceData, checked). */
export interface ResourceInput {
  readonly emsRef: string;
  readonly resourceType: string;
  readonly name: string;
  readonly state?: string | undefined;
  readonly properties?: JsonObject | undefined;
  readonly relationships?: readonly ResourceLink[] | undefined;
  readonly parentEmsRef?: string | undefined;
  readonly tags?: Readonly<Record<string, string>> | undefined;
}

/** A stored resource. Soft-deleted ones keep their row, with `deletedAt` set. */
export interface ResourceRecord {
  readonly id: string;
  readonly domainId: string;
  readonly providerId: string;
  readonly emsRef: string;
  readonly resourceType: string;
  readonly name: string;
  readonly state: string | undefined;
  readonly properties: JsonObject;
  readonly relationships: readonly ResourceLink[];
  readonly parentEmsRef: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  /** The run that last saw it. */
  readonly lastSeenRunId: string;
  readonly updatedAt: string;
  readonly deletedAt: string | undefined;
}

/** Filters and paging of `listResources`. */
export interface ResourceQuery {
  readonly providerId?: string | undefined;
  readonly resourceType?: string | undefined;
  readonly state?: string | undefined;
  /** Case-insensitive substring of the name or the ems_ref. */
  readonly q?: string | undefined;
  /** Soft-deleted resources too. Default false. */
  readonly includeDeleted?: boolean | undefined;
  /** 1-based. */
  readonly page?: number | undefined;
  readonly limit?: number | undefined;
}

/** One page of resources (by type, then name) and the total across pages. */
export interface ResourcePage {
  readonly resources: ResourceRecord[];
  readonly total: number;
}

/**
 * One tracked field of a resource that a run changed. Fields are `name`, `state`,
 * `resource_type`, `parent_ems_ref`, `tags`, `relationships`, `properties.<key>` and `deleted`
 * (a resource removed or seen again). Values are JSON; `undefined` where the field was absent.
 */
export interface ResourceDriftRecord {
  readonly resourceId: string;
  readonly runId: string;
  readonly field: string;
  readonly oldValue: unknown;
  readonly newValue: unknown;
  readonly changedAt: string;
}

/** Which run a batch belongs to. */
export interface IngestTarget {
  readonly runId: string;
  readonly domainId: string;
  readonly providerId: string;
}

/** What one ingested batch did. */
export interface IngestCounts {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
}
