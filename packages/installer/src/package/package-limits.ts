/** Caps that keep a hostile package from exhausting memory, disk or time while it is read. */
export interface PackageLimits {
  /** Entries at most (files, directories and links). */
  readonly maxEntries: number;
  /** Bytes at most once decompressed (bodies and the space any entry occupies), against gzip bombs. */
  readonly maxUnpackedBytes: number;
  /** Largest manifest file read, in bytes. */
  readonly maxManifestBytes: number;
  /** Largest PAX record set or GNU long name per entry, in bytes. */
  readonly maxMetadataBytes: number;
}

/** At most this many entries in a package by default. */
export const DEFAULT_MAX_PACKAGE_ENTRIES = 10_000;
/** At most 512 MiB once decompressed by default. */
export const DEFAULT_MAX_UNPACKED_BYTES = 512 * 1024 * 1024;
/** A manifest larger than 1 MiB is refused by default. */
export const DEFAULT_MAX_MANIFEST_BYTES = 1024 * 1024;
/** PAX records / long names larger than 64 KiB are refused by default. */
export const DEFAULT_MAX_METADATA_BYTES = 64 * 1024;

/** The default caps. */
export const DEFAULT_PACKAGE_LIMITS: PackageLimits = Object.freeze({
  maxEntries: DEFAULT_MAX_PACKAGE_ENTRIES,
  maxUnpackedBytes: DEFAULT_MAX_UNPACKED_BYTES,
  maxManifestBytes: DEFAULT_MAX_MANIFEST_BYTES,
  maxMetadataBytes: DEFAULT_MAX_METADATA_BYTES,
});
