/**
 * @plugboard/core — the plugin model. Pure: no I/O, no Node APIs.
 * Everything exported here is public API.
 */
export { ERROR_CODES, isErrorCode } from './errors/error-codes.js';
export type { ErrorCode, ErrorCodeInfo } from './errors/error-codes.js';
export { PlugboardError, isPlugboardError, problemsError } from './errors/plugboard-error.js';
export type { PlugboardErrorOptions, Problem } from './errors/plugboard-error.js';

export { parseDocument, MAX_DOCUMENT_CHARS } from './document/parse-document.js';
export type { DocumentSource } from './document/parse-document.js';
export { expandEnvironment } from './document/expand-environment.js';
export {
  compileSchema,
  checkSchema,
  pointerToPath,
  joinPath,
} from './schema/json-schema-validator.js';
export type { SchemaCheck } from './schema/json-schema-validator.js';

export {
  PluginManifestSchema,
  CapabilitySchema,
  RuntimeSchema,
  RequirementsSchema,
  ConnectionParameterSchema,
  PermissionsSchema,
  ContactsSchema,
  PLUGIN_NAME_PATTERN,
  SEMVER_PATTERN,
  API_VERSION_PATTERN,
} from './manifest/manifest-schema.js';
export type {
  PluginManifest,
  Capability,
  Runtime,
  Requirements,
  ConnectionParameter,
  Permissions,
  Contacts,
} from './manifest/manifest-schema.js';
export { validateManifest, listManifestProblems } from './manifest/validate-manifest.js';
export { manifestJsonSchema } from './manifest/manifest-json-schema.js';

export { MANIFEST_FORMATS } from './importers/manifest-format.js';
export type {
  ManifestFormat,
  ImportedManifest,
  ManifestImporter,
} from './importers/manifest-format.js';
export {
  importManifest,
  importManifestText,
  detectManifestFormat,
} from './importers/import-manifest.js';
export type { ImportOptions } from './importers/import-manifest.js';

// --- versions (semver resolution, api_version compatibility) ---
export {
  parseVersion,
  isValidVersion,
  compareVersions,
  sortVersions,
  isPrerelease,
  MAX_VERSION_LENGTH,
} from './versions/version.js';
export type { ParsedVersion } from './versions/version.js';
export {
  parseVersionSpec,
  isValidVersionSpec,
  CHANNEL_NAME_PATTERN,
  MAX_VERSION_SPEC_LENGTH,
} from './versions/version-spec.js';
export type { VersionSpec, VersionSpecKind } from './versions/version-spec.js';
export {
  isYanked,
  yankReason,
  isDeprecated,
  deprecationMessage,
} from './versions/version-candidate.js';
export type { VersionCandidate } from './versions/version-candidate.js';
export { resolveVersion, isChannelPrerelease } from './versions/resolve-version.js';
export type { ResolveVersionOptions, ResolvedVersion } from './versions/resolve-version.js';
export {
  parseApiVersion,
  isValidApiVersion,
  compareApiVersions,
  apiVersionRange,
  checkApiCompatibility,
  isApiCompatible,
  DEFAULT_API_VERSION,
} from './versions/api-version.js';
export type { ParsedApiVersion, ApiVersionRange } from './versions/api-version.js';
export { outdatedStatus, isOutdated } from './versions/outdated.js';
export type { OutdatedStatus } from './versions/outdated.js';

// --- registry index ---
export {
  RegistryIndexSchema,
  RegistryPluginSchema,
  RegistryVersionSchema,
  RegistryMetadataSchema,
  REGISTRY_INDEX_FORMAT_VERSION,
} from './registry-index/registry-index-schema.js';
export type {
  RegistryIndex,
  RegistryPlugin,
  RegistryVersion,
  RegistryMetadata,
} from './registry-index/registry-index-schema.js';
export {
  parseRegistryIndex,
  listRegistryIndexProblems,
} from './registry-index/parse-registry-index.js';
export {
  writeRegistryIndex,
  canonicalRegistryIndex,
} from './registry-index/write-registry-index.js';
export {
  findRegistryPlugin,
  registryDistTags,
  resolveRegistryVersion,
} from './registry-index/resolve-registry-version.js';
export { PULUMICOST_REGISTRY_SCHEMA } from './registry-index/pulumicost-registry-schema.js';
export {
  parsePulumiCostIndex,
  listPulumiCostIndexProblems,
  PULUMICOST_SOURCE_FORMAT,
} from './registry-index/pulumicost-index.js';

// --- plugin references ---
export { PLUGIN_REFERENCE_KINDS, MAX_REFERENCE_LENGTH } from './references/plugin-reference.js';
export type {
  PluginReference,
  PluginReferenceKind,
  RegistryReference,
  HttpsReference,
  FileReference,
  OciReference,
  GithubReference,
  S3Reference,
  GsReference,
} from './references/plugin-reference.js';
export {
  parsePluginReference,
  isValidPluginReference,
} from './references/parse-plugin-reference.js';
export { formatPluginReference } from './references/format-plugin-reference.js';
export { REGISTRY_NAME_PATTERN } from './references/registry-reference.js';
export {
  DEFAULT_OCI_TAG,
  MAX_OCI_NAME_LENGTH,
  ociDigestProblem,
} from './references/oci-reference.js';
export {
  MAX_OBJECT_KEY_BYTES,
  s3BucketProblem,
  gsBucketProblem,
} from './references/bucket-reference.js';

// --- foreign manifest importers ---
export { spaceoneImporter } from './importers/spaceone-importer.js';
export { pulumicostImporter } from './importers/pulumicost-importer.js';
export { PULUMICOST_MANIFEST_SCHEMA } from './importers/schemas/pulumicost-manifest-schema.js';
export { listPulumicostManifestProblems } from './importers/pulumicost-nested-importer.js';
export { inventoryImporter } from './importers/inventory-importer.js';
export { ocmImporter, OCM_FALLBACK_PLUGIN_NAME } from './importers/ocm-importer.js';
