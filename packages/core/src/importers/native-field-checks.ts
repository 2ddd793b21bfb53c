import { API_VERSION_PATTERN, SEMVER_PATTERN } from '../manifest/manifest-schema.js';
import { isPluginName } from './derive-plugin-name.js';
import type { ImportContext } from './import-context.js';

const SEMVER = new RegExp(SEMVER_PATTERN);
const API_VERSION = new RegExp(API_VERSION_PATTERN);

/**
 * Reads a field that must already be a native plugin id, with a message a human can act on (the
 * native schema's own message would quote the whole pattern).
 */
export function readPluginName(
  ctx: ImportContext,
  value: unknown,
  path: string,
): string | undefined {
  const name = ctx.requiredString(value, path);
  if (name === undefined) return undefined;
  if (!isPluginName(name)) {
    ctx.problem(
      path,
      `"${name}" is not a plugin id: lower-case letters, digits, ".", "_" and "-", starting and ending with a letter or digit`,
    );
    return undefined;
  }
  return name;
}

/** Reads an optional SemVer 2.0 version; a leading `v` (`v1.2.3`) is dropped with a warning. */
export function readVersion(ctx: ImportContext, value: unknown, path: string): string | undefined {
  const version = ctx.optionalString(value, path);
  if (version === undefined) return undefined;
  if (SEMVER.test(version)) return version;
  const unprefixed = version.replace(/^[vV]/, '');
  if (unprefixed !== version && SEMVER.test(unprefixed)) {
    ctx.warn(`${path} "${version}" read as "${unprefixed}"`);
    return unprefixed;
  }
  ctx.problem(path, `"${version}" is not a SemVer 2.0 version such as 1.2.3`);
  return undefined;
}

/** Reads an optional API version such as `v1` or `v2beta1`. */
export function readApiVersion(
  ctx: ImportContext,
  value: unknown,
  path: string,
): string | undefined {
  const apiVersion = ctx.optionalString(value, path);
  if (apiVersion === undefined) return undefined;
  if (API_VERSION.test(apiVersion)) return apiVersion;
  ctx.problem(path, `"${apiVersion}" is not an API version such as v1 or v2beta1`);
  return undefined;
}
