/**
 * @plugboard/installer — fetches, verifies and installs plugins. For now: safe inspection of
 * plugin packages (gzip tar streams), which the registry runs on every publish.
 */
export { inspectPackage } from './package/inspect-package.js';
export type {
  PackageInspection,
  InspectedEntry,
  InspectPackageOptions,
} from './package/inspect-package.js';
export { readPackageEntries } from './package/package-entries.js';
export type { PackageEntry, PackageEntryType } from './package/package-entries.js';
export {
  DEFAULT_PACKAGE_LIMITS,
  DEFAULT_MAX_PACKAGE_ENTRIES,
  DEFAULT_MAX_UNPACKED_BYTES,
  DEFAULT_MAX_MANIFEST_BYTES,
  DEFAULT_MAX_METADATA_BYTES,
} from './package/package-limits.js';
export type { PackageLimits } from './package/package-limits.js';
export { MANIFEST_FILE_NAMES } from './package/package-manifest.js';
export {
  normalizeEntryPath,
  resolveSymlinkTarget,
  MAX_ENTRY_PATH_CHARS,
} from './package/entry-path.js';
export type { PathCheck } from './package/entry-path.js';
export { readTarEntries } from './package/tar-reader.js';
export type { TarEntry, TarReaderOptions } from './package/tar-reader.js';
export { tarArchive, gzipTarArchive } from './package/tar-writer.js';
export type { TarEntrySpec } from './package/tar-writer.js';
