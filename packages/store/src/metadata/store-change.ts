/** The kinds of record a change concerns. */
export type ChangedEntity = 'domain' | 'token' | 'plugin' | 'version' | 'dist-tag' | 'repository';

/** One committed write. Listeners use it to drop cached data; it carries keys, never contents. */
export interface RecordChange {
  readonly entity: ChangedEntity;
  readonly action: 'created' | 'updated' | 'deleted';
  readonly domainId: string;
  /** Plugin name, token id, repository id or domain id. */
  readonly key: string;
  /** The version, for `version` changes. */
  readonly version?: string | undefined;
  /** The dist-tag, for `dist-tag` changes. */
  readonly tag?: string | undefined;
  /** True when this store instance made the write, false when another replica did. */
  readonly local: boolean;
}

/**
 * Changes may have been missed (the notification connection was lost and re-established):
 * listeners should drop everything they cached.
 */
export interface ResyncChange {
  readonly entity: 'all';
  readonly action: 'resync';
  readonly local: false;
}

/** What `onChange` listeners receive. */
export type StoreChange = RecordChange | ResyncChange;

/** A change as a write produces it, before it is known to be local or remote. */
export type PendingChange = Omit<RecordChange, 'local'>;

/** Called after a change is committed. Exceptions are logged, never passed to the writer. */
export type ChangeListener = (change: StoreChange) => void;
