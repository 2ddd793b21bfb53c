/**
 * @plugboard/installer — fetches, verifies and installs plugins: sources (registries, https, file,
 * oci, github, s3, gs), streamed download with sha256, Ed25519 signatures, safe unpacking, atomic and
 * crash-safe installs into `<root>/<name>/<version>/`, and `plugboard.lock`. Also the safe
 * inspection of plugin packages (gzip tar streams), which the registry runs on every publish.
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

// --- installing ---
export { Installer } from './installer/installer.js';
export type {
  InstallOutcome,
  InstallOptions,
  InstallStatus,
  InstalledPlugin,
  RemoveOutcome,
} from './installer/installer.js';
export { DEFAULT_MAX_DOWNLOAD_BYTES } from './installer/installer-options.js';
export type { InstallerOptions, InstallerLogger } from './installer/installer-options.js';
export type { InstalledVersion } from './installer/installed-plugins.js';
export { verifyInstalled } from './installer/verify-installed.js';
export type { VerificationCheck, VerificationReport } from './installer/verify-installed.js';
export { InstallLayout, STATE_FOLDER, DISABLED_FOLDER } from './layout/install-layout.js';
export { acquireRootLock, DEFAULT_LOCK_TIMEOUT_MS } from './layout/root-lock.js';
export type { HeldLock, LockOwner, RootLockOptions } from './layout/root-lock.js';
export { recoverInterrupted } from './layout/install-journal.js';
export type { ChangeStep, StepHook } from './layout/install-journal.js';
export { readInstallRecord } from './layout/install-record.js';
export type { InstallRecord } from './layout/install-record.js';
export { unpackPackage } from './unpack/unpack-package.js';
export type { UnpackedPackage } from './unpack/unpack-package.js';
export { treeDigest, INSTALL_RECORD_FILE } from './unpack/tree-digest.js';
export { packFolder, MAX_PACKED_FOLDER_BYTES } from './pack/pack-folder.js';

// --- lock file ---
export {
  LOCK_FILE_NAME,
  LOCK_FILE_VERSION,
  EMPTY_LOCK,
  formatLockFile,
  parseLockFile,
  readLockFile,
  writeLockFile,
} from './lock-file/plugboard-lock.js';
export type { LockEntry, LockFile } from './lock-file/plugboard-lock.js';

// --- digests and signatures ---
export {
  HASH_CHUNK_BYTES,
  SHA256_DIGEST_PATTERN,
  isSha256Digest,
  sha256Digest,
  sha256File,
} from './digest/sha256-digest.js';
export { saveHashed } from './digest/hashed-download.js';
export type { TransferProgress, SavedFile, SaveHashedOptions } from './digest/hashed-download.js';
export {
  generateSigningKey,
  defaultKeyId,
  checkKeyId,
  parsePublicKey,
  parsePrivateKey,
  KEY_ID_PATTERN,
} from './signing/ed25519-keys.js';
export type { GeneratedSigningKey } from './signing/ed25519-keys.js';
export { signDigest, verifyArtifactSignatures, NO_TRUST } from './signing/artifact-signatures.js';
export type {
  ArtifactSignature,
  TrustedKey,
  TrustPolicy,
  SignatureVerdict,
} from './signing/artifact-signatures.js';

// --- sources ---
export { resolveReference } from './sources/resolve-reference.js';
export type {
  ResolvedArtifact,
  ArtifactBody,
  ExpectedDigest,
} from './sources/resolved-artifact.js';
export { byPriority, registryNamed } from './sources/registry-source.js';
export type { RegistryEndpoint } from './sources/registry-source.js';
export { DEFAULT_GITHUB_API_URL } from './sources/github-source.js';
export { PLUGIN_LAYER_MEDIA_TYPE, SIGNATURES_ANNOTATION } from './sources/oci-source.js';
export { DEFAULT_HTTP_TIMEOUT_MS } from './sources/http-fetch.js';
export { DEFAULT_GCS_ENDPOINT, DEFAULT_S3_REGION } from './sources/bucket-source.js';
export type { S3SourceOptions, GsSourceOptions } from './sources/bucket-source.js';
export { signS3Request } from './sources/s3-signature.js';
export type { S3Credentials } from './sources/s3-signature.js';
export type { InstallerFetch } from './sources/http-fetch.js';
export { parseSignatureDocument } from './sources/signature-sidecar.js';
