import { createHash } from 'node:crypto';
import { PlugboardError, isValidVersion } from '@plugboard/core';
import { inspectPackage, type PackageInspection, type PackageLimits } from '@plugboard/installer';
import type { BlobStore, MetadataStore, PublishResult, VersionSignature } from '@plugboard/store';
import { pluginInputFromManifest } from '../repositories/local/plugin-input-from-manifest.js';
import { ChunkChannel } from './chunk-channel.js';
import { checkSignatures, type TrustedKeys } from './package-signatures.js';

/** Media type of a published plugin package. */
export const PLUGIN_PACKAGE_MEDIA_TYPE = 'application/vnd.plugboard.plugin.v1+tar+gzip';

/** Options of `PackagePublisher`. */
export interface PackagePublisherOptions {
  /** Largest package accepted (compressed), in bytes. */
  readonly maxPackageBytes: number;
  /** Caps applied while inspecting the archive (entries, unpacked bytes, manifest size). */
  readonly limits?: Partial<PackageLimits> | undefined;
  /** When non-empty, every signature must verify against one of these keys. */
  readonly trustedKeys?: TrustedKeys | undefined;
}

/** A package whose blob is stored and whose content is checked, not yet a version. */
export interface StagedPackage {
  readonly domainId: string;
  readonly name: string;
  readonly version: string;
  readonly digest: string;
  readonly size: number;
  readonly inspection: PackageInspection;
}

/**
 * Publishes plugin packages into a domain's LOCAL repository in two steps. `stage` streams the
 * body into the blob store while hashing it and, on the same bytes, inspecting the archive; the
 * blob is renamed into place only after the inspection passed and the version was found free, so
 * a refused package stores nothing. `commit` checks signatures and calls the store's atomic
 * `publishVersion`. A blob staged for a commit that failed stays until the blob collector finds
 * it unused and past its grace period (see `discard`).
 */
export class PackagePublisher {
  private readonly trustedKeys: TrustedKeys;

  constructor(
    private readonly store: MetadataStore,
    private readonly blobs: BlobStore,
    private readonly options: PackagePublisherOptions,
  ) {
    this.trustedKeys = options.trustedKeys ?? new Map();
  }

  /**
   * Stores and checks a package. Fails with `PACKAGE_INVALID` (unsafe entry, no manifest),
   * core's manifest codes, `MANIFEST_INVALID` (no version), `PAYLOAD_TOO_LARGE`, `ALREADY_EXISTS`,
   * or the body's own failure; nothing is stored then.
   */
  async stage(domainId: string, body: AsyncIterable<Uint8Array>): Promise<StagedPackage> {
    const maxBytes = this.options.maxPackageBytes;
    const channel = new ChunkChannel();
    const inspecting = inspectPackage(channel, { limits: this.options.limits });
    let inspectionFailure: { error: unknown } | undefined;
    inspecting.catch((error: unknown) => {
      inspectionFailure = { error };
    });
    const hash = createHash('sha256');
    let size = 0;
    let staged: Omit<StagedPackage, 'size'> | undefined;
    const checkVersion = (inspection: PackageInspection) => this.versionOf(domainId, inspection);
    async function* teed(): AsyncGenerator<Uint8Array, void, undefined> {
      let bodyEnded = false;
      try {
        for await (const chunk of body) {
          if (inspectionFailure !== undefined) throw inspectionFailure.error;
          size += chunk.byteLength;
          if (size > maxBytes) {
            throw new PlugboardError(
              'PAYLOAD_TOO_LARGE',
              `the package is larger than ${maxBytes} bytes`,
              { details: { max_bytes: maxBytes } },
            );
          }
          hash.update(chunk);
          await channel.push(chunk);
          yield chunk;
        }
        bodyEnded = true;
      } finally {
        // Also reached when the blob store stops reading (its own failure): end the inspection.
        if (!bodyEnded) {
          channel.fail(new PlugboardError('ABORTED', 'the package upload stopped'));
          await inspecting.catch(() => undefined);
        }
      }
      channel.end();
      // Decided before the blob store renames the file: a refusal here leaves no blob.
      const inspection = await inspecting;
      const { name, version } = await checkVersion(inspection);
      const digest = `sha256:${hash.digest('hex')}`;
      staged = { domainId, name, version, digest, inspection };
    }
    const info = await this.blobs.put(teed(), { maxBytes });
    if (staged === undefined || staged.digest !== info.digest) {
      throw new PlugboardError('INTERNAL', 'the staged package and the stored blob disagree');
    }
    return { ...staged, size: info.size };
  }

  /** Turns a staged package into a visible version, atomically. */
  async commit(
    staged: StagedPackage,
    signatures: readonly VersionSignature[] = [],
  ): Promise<PublishResult> {
    checkSignatures(staged.digest, signatures, this.trustedKeys);
    const manifest = staged.inspection.manifest.manifest;
    return this.store.publishVersion(staged.domainId, {
      plugin: pluginInputFromManifest(manifest),
      version: staged.version,
      manifest,
      artifact: {
        digest: staged.digest,
        size: staged.size,
        mediaType: PLUGIN_PACKAGE_MEDIA_TYPE,
      },
      signatures,
    });
  }

  /**
   * Gives up a staged package that did not become a version. Its blob is deliberately not deleted
   * here: the same bytes may be the artifact of another version (of any tenant), or of a publish
   * in flight that has stored its blob but not yet its row, which no check made now can see. The
   * blob collector deletes it once no version references it and it is past its grace period.
   */
  discard(_staged: StagedPackage): Promise<void> {
    return Promise.resolve();
  }

  /** `stage` then `commit`, discarding the staged package when the commit fails. */
  async publish(
    domainId: string,
    body: AsyncIterable<Uint8Array>,
    signatures: readonly VersionSignature[] = [],
  ): Promise<{ staged: StagedPackage; result: PublishResult }> {
    const staged = await this.stage(domainId, body);
    try {
      return { staged, result: await this.commit(staged, signatures) };
    } catch (error) {
      await this.discard(staged).catch(() => undefined);
      throw error;
    }
  }

  private async versionOf(
    domainId: string,
    inspection: PackageInspection,
  ): Promise<{ name: string; version: string }> {
    const { name, version } = inspection.manifest.manifest;
    if (typeof version !== 'string' || !isValidVersion(version)) {
      throw new PlugboardError(
        'MANIFEST_INVALID',
        `${inspection.manifestPath}: a published package needs a SemVer "version" in its manifest`,
        {
          details: {
            entry: inspection.manifestPath,
            problems: [{ path: 'version', message: 'is required: a SemVer 2.0 version' }],
          },
        },
      );
    }
    if ((await this.store.getVersion(domainId, name, version)) !== undefined) {
      throw new PlugboardError('ALREADY_EXISTS', `${name}@${version} is already published`, {
        details: { name, version },
      });
    }
    return { name, version };
  }
}
