import { problemsError, type Problem } from '../errors/plugboard-error.js';
import { compileSchema, type SchemaCheck } from '../schema/json-schema-validator.js';
import { PluginManifestSchema, type PluginManifest } from './manifest-schema.js';

let checkManifestSchema: SchemaCheck | undefined;

/** Lists every problem of a native manifest, each with its field path; empty when valid. */
export function listManifestProblems(value: unknown): Problem[] {
  checkManifestSchema ??= compileSchema(PluginManifestSchema);
  return checkManifestSchema(value);
}

/**
 * Checks that `value` is a valid native manifest and returns it typed.
 * Throws `MANIFEST_INVALID` listing every problem with its path.
 */
export function validateManifest(value: unknown, subject = 'manifest'): PluginManifest {
  const problems = listManifestProblems(value);
  if (problems.length > 0)
    throw problemsError('MANIFEST_INVALID', `${subject} is invalid`, problems);
  return value as PluginManifest;
}
