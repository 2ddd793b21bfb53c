import type { Readable } from 'node:stream';

/** A stored blob: its digest and size in bytes. */
export interface BlobInfo {
  /** `sha256:` and 64 lower-case hex digits. */
  readonly digest: string;
  readonly size: number;
}

/** A stored blob opened for reading. The caller must consume or destroy the stream. */
export interface BlobContent extends BlobInfo {
  readonly stream: Readable;
}

/** Options of `BlobStore.put`. */
export interface PutBlobOptions {
  /** When given, content with another digest is refused with `DIGEST_MISMATCH`. */
  readonly expectedDigest?: string | undefined;
  /** When given, content longer than this is refused with `PAYLOAD_TOO_LARGE`. */
  readonly maxBytes?: number | undefined;
  /** Aborting stops the write with `ABORTED`. */
  readonly signal?: AbortSignal | undefined;
}

/** Options of `BlobStore.sweep`. */
export interface SweepOptions {
  /**
   * Blobs written less than this many milliseconds ago are kept whatever `referenced` says: a
   * publish writes its blob before the version row that references it.
   */
  readonly graceMs: number;
  /** Which of these digests something still uses (version rows); those blobs are kept. */
  readonly referenced: (digests: readonly string[]) => Promise<ReadonlySet<string>>;
  /**
   * Unreferenced blobs marked with `BlobStore.retain` less than this many milliseconds ago are kept
   * (cached copies in use). Defaults to 0: retention marks keep nothing.
   */
  readonly retainMs?: number | undefined;
  /** Clock in milliseconds; defaults to `Date.now`. */
  readonly now?: (() => number) | undefined;
}

/** What one sweep did. */
export interface SweepResult {
  /** Blobs looked at. */
  readonly examined: number;
  readonly deleted: number;
  readonly freedBytes: number;
  /** Blobs kept because a version row uses them. */
  readonly keptReferenced: number;
  /** Unused blobs kept because they are younger than the grace period. */
  readonly keptInGrace: number;
  /** Unused blobs kept because `retain` marked them within the retention period. */
  readonly keptRetained: number;
}

/**
 * Content-addressed storage for plugin artifacts. Content is streamed in and out, never held whole
 * in memory; a blob is visible whole or not at all; a refused or failed `put` leaves nothing.
 * Failures are `PlugboardError`s: `INVALID_ARGUMENT` (malformed digest), `NOT_FOUND`,
 * `DIGEST_MISMATCH`, `PAYLOAD_TOO_LARGE`, `ABORTED` (the source failed or the signal fired),
 * `UNAVAILABLE` (storage full or unreachable), `INTERNAL`.
 */
export interface BlobStore {
  /** Stores the bytes `source` yields and returns their digest and size. */
  put(source: AsyncIterable<Uint8Array>, options?: PutBlobOptions): Promise<BlobInfo>;
  /** Opens a blob for reading; `NOT_FOUND` when absent. */
  get(digest: string): Promise<BlobContent>;
  has(digest: string): Promise<boolean>;
  /** Digest and size, or undefined when absent. */
  stat(digest: string): Promise<BlobInfo | undefined>;
  /**
   * Records now as the last use of a blob that no version references but that is still wanted (a
   * cached REMOTE artifact): `sweep` keeps it for `SweepOptions.retainMs` after its last `retain`.
   * False when the blob is not there (nothing is recorded then).
   */
  retain(digest: string): Promise<boolean>;
  /**
   * Removes a blob at once; false when it was not there. Blobs are shared (by digest) between
   * versions and tenants: only `sweep` knows when one is unused.
   */
  delete(digest: string): Promise<boolean>;
  /**
   * Deletes every blob that is older than the grace period, not `referenced` and not retained
   * (see `retain`), re-checking all three just before each deletion so a publish of the same bytes racing the sweep keeps its blob.
   */
  sweep(options: SweepOptions): Promise<SweepResult>;
}
