import { PlugboardError, isPlugboardError } from '@plugboard/core';
import type { ArtifactDownload } from '@plugboard/client';
import { DEFAULT_ARTIFACT_MEDIA_TYPE } from '@plugboard/client';
import type { BlobContent, BlobStore } from '@plugboard/store';
import type { ArtifactStream } from '../../catalog/plugin-source.js';
import type { VersionView } from '../../catalog/plugin-view.js';
import { RecentEntries } from '../../cache/recent-entries.js';

/** Versions whose digests one remote source remembers (published versions are immutable). */
export const MAX_REMEMBERED_ARTIFACTS = 10_000;

/**
 * How often a cached copy served again refreshes its retention mark (`BlobStore.retain`), in ms:
 * at most once per this period per digest, so serving stays a read. Far below the collector's
 * retention of cached copies (`DEFAULT_CACHE_RETENTION_MS`, days).
 */
export const RETAIN_REFRESH_MS = 5 * 60 * 1000;

/** What a remote said about one version's artifact. */
export interface RemoteArtifactReference {
  readonly digest: string;
  readonly size: number | undefined;
}

const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * The artifacts of one REMOTE repository, cached in this server's blob store. A version's digest
 * is taken from the remote's version list and remembered (a published version never changes), so
 * a cached artifact is served even while the remote is down. A download is stored through the
 * blob store's digest check: bytes that do not match are refused with DIGEST_MISMATCH and nothing
 * is kept. Concurrent requests for one artifact share one download.
 *
 * No version row references a cached copy, so each one carries a retention mark in the blob store
 * (`BlobStore.retain`), set when it is stored and refreshed when it is served (at most once per
 * `RETAIN_REFRESH_MS` per digest); the blob collector keeps a copy used within its cache retention
 * (7 days by default), which is what lets a remote that is down still be served from here.
 */
export class RemoteArtifacts {
  readonly #references = new RecentEntries<RemoteArtifactReference>(MAX_REMEMBERED_ARTIFACTS);
  readonly #mediaTypes = new RecentEntries<string>(MAX_REMEMBERED_ARTIFACTS);
  readonly #downloads = new Map<string, Promise<void>>();
  /** When this process last marked each digest retained (`performance.now()` milliseconds). */
  readonly #retainedAt = new RecentEntries<number>(MAX_REMEMBERED_ARTIFACTS);

  constructor(
    private readonly blobs: BlobStore,
    private readonly maxArtifactBytes: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Remembers the digests the remote listed for a plugin's versions. */
  remember(name: string, versions: readonly VersionView[]): void {
    for (const version of versions) {
      if (version.digest === undefined || !SHA256_DIGEST.test(version.digest)) continue;
      this.#references.set(versionKey(name, version.version), {
        digest: version.digest,
        size: version.size,
      });
    }
  }

  /** The remembered reference of a version, if any. */
  reference(name: string, version: string): RemoteArtifactReference | undefined {
    return this.#references.get(versionKey(name, version));
  }

  /**
   * The artifact from the blob store, running `download` first when it is not cached, and its
   * retention mark refreshed. A copy the blob collector removed (unused past its retention) is
   * downloaded again.
   */
  async open(
    reference: RemoteArtifactReference,
    download: () => Promise<void>,
  ): Promise<ArtifactStream> {
    let content: BlobContent;
    try {
      content = await this.blobs.get(reference.digest);
    } catch (error) {
      if (!isPlugboardError(error, 'NOT_FOUND')) throw error;
      let pending = this.#downloads.get(reference.digest);
      if (pending === undefined) {
        pending = download().finally(() => this.#downloads.delete(reference.digest));
        this.#downloads.set(reference.digest, pending);
      }
      await pending;
      content = await this.blobs.get(reference.digest);
    }
    await this.#markUsed(reference.digest);
    return {
      stream: content.stream,
      digest: content.digest,
      size: content.size,
      mediaType: this.#mediaTypes.get(reference.digest) ?? DEFAULT_ARTIFACT_MEDIA_TYPE,
    };
  }

  /**
   * Stores a download under its expected digest. A different announced digest, different bytes or
   * more bytes than announced are refused; the blob store keeps nothing then.
   */
  async store(
    label: string,
    reference: RemoteArtifactReference,
    download: ArtifactDownload,
  ): Promise<void> {
    if (download.digest !== undefined && download.digest !== reference.digest) {
      await download.cancel();
      throw mismatch(label, reference.digest, download.digest);
    }
    try {
      await this.blobs.put(download.body, {
        expectedDigest: reference.digest,
        maxBytes: reference.size ?? this.maxArtifactBytes,
      });
    } catch (error) {
      await download.cancel();
      if (isPlugboardError(error, 'DIGEST_MISMATCH')) {
        throw mismatch(label, reference.digest, undefined, error);
      }
      if (isPlugboardError(error, 'PAYLOAD_TOO_LARGE')) {
        throw new PlugboardError(
          'DIGEST_MISMATCH',
          `${label} sent more than the ${reference.size ?? this.maxArtifactBytes} bytes it announced for ${reference.digest}; nothing was cached`,
          { cause: error, details: { expected: reference.digest } },
        );
      }
      throw error;
    }
    this.#mediaTypes.set(reference.digest, download.mediaType);
    await this.#markUsed(reference.digest, true);
  }

  /**
   * Refreshes the copy's retention mark unless this process did so within `RETAIN_REFRESH_MS`. A
   * failure only costs retention (the copy may be downloaded again later), never the request.
   */
  async #markUsed(digest: string, always = false): Promise<void> {
    const now = this.clock();
    const last = this.#retainedAt.get(digest);
    if (!always && last !== undefined && now - last < RETAIN_REFRESH_MS) return;
    this.#retainedAt.set(digest, now);
    try {
      await this.blobs.retain(digest);
    } catch {
      this.#retainedAt.delete(digest);
    }
  }
}

function versionKey(name: string, version: string): string {
  return `${name}@${version}`;
}

function mismatch(
  label: string,
  expected: string,
  announced: string | undefined,
  cause?: unknown,
): PlugboardError {
  const got = announced === undefined ? 'bytes with another digest' : `digest ${announced}`;
  return new PlugboardError(
    'DIGEST_MISMATCH',
    `${label} sent ${got} for an artifact listed as ${expected}; nothing was cached`,
    { cause, details: { expected, ...(announced === undefined ? {} : { announced }) } },
  );
}
