import type { VersionCandidate } from '@plugboard/core';
import type { JsonObject, PluginInput, PluginRecord } from './plugin-record.js';

/** The artifact of a published version, kept in the blob store under its digest. */
export interface ArtifactReference {
  /** `sha256:` followed by 64 lower-case hex digits. */
  readonly digest: string;
  /** Size in bytes. */
  readonly size: number;
  /** e.g. `application/vnd.plugboard.plugin.v1+tar+gzip`. */
  readonly mediaType: string;
}

/** One signature over the artifact digest. */
export interface VersionSignature {
  readonly keyId: string;
  /** Encoded signature, as the publisher sent it. */
  readonly signature: string;
}

/** One immutable published version of a LOCAL plugin. */
export interface VersionRecord {
  readonly domainId: string;
  readonly pluginName: string;
  readonly version: string;
  readonly manifest: JsonObject;
  readonly artifact: ArtifactReference;
  readonly signatures: readonly VersionSignature[];
  readonly publishedAt: string;
  /** When it was yanked; undefined while it is not. */
  readonly yankedAt: string | undefined;
  readonly yankReason: string | undefined;
  /** The deprecation message; undefined while it is not deprecated. */
  readonly deprecated: string | undefined;
}

/** What `publishVersion` needs: the plugin's metadata (stored when the plugin is new) and the version. */
export interface PublishVersionInput {
  /** Metadata of the plugin; it replaces the stored metadata when this becomes the preferred version. */
  readonly plugin: PluginInput;
  readonly version: string;
  readonly manifest: JsonObject;
  readonly artifact: ArtifactReference;
  readonly signatures?: readonly VersionSignature[] | undefined;
}

/** What `publishVersion` stored. */
export interface PublishResult {
  readonly plugin: PluginRecord;
  readonly version: VersionRecord;
  /** True when this publish created the plugin record. */
  readonly pluginCreated: boolean;
}

/** The shape core's `resolveVersion` takes: yank reason or `true`, deprecation message. */
export function toVersionCandidate(record: VersionRecord): VersionCandidate {
  return {
    version: record.version,
    yanked: record.yankedAt === undefined ? undefined : (record.yankReason ?? true),
    deprecated: record.deprecated,
    published: record.publishedAt,
  };
}
