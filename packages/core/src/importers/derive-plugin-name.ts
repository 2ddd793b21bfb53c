import { PLUGIN_NAME_PATTERN } from '../manifest/manifest-schema.js';

const PLUGIN_NAME = new RegExp(PLUGIN_NAME_PATTERN);

/** Longest plugin id the native pattern allows, in characters. */
const MAX_PLUGIN_NAME_CHARS = 128;

/** True when `value` is already a valid native plugin id. */
export function isPluginName(value: string): boolean {
  return PLUGIN_NAME.test(value);
}

/**
 * Turns a foreign identifier (`Plugin-AWS_EC2`, `My Plugin!`) into a valid native plugin id:
 * lower-cased, each run of other characters replaced by `-`, trimmed to start and end with a
 * letter or digit. Returns `undefined` when nothing usable is left.
 */
export function toPluginName(raw: string): string | undefined {
  const lowered = raw
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-');
  const trimmed = trimToAlphanumeric(lowered.slice(0, MAX_PLUGIN_NAME_CHARS));
  return trimmed !== '' && isPluginName(trimmed) ? trimmed : undefined;
}

/**
 * The base name of an OCI image reference, without registry, repository path, tag or digest:
 * `registry.io:5000/pyengine/plugin-x:1.2@sha256:…` → `plugin-x`.
 */
export function imageBaseName(image: string): string {
  const withoutDigest = image.split('@', 1)[0] ?? '';
  const lastSlash = withoutDigest.lastIndexOf('/');
  const last = withoutDigest.slice(lastSlash + 1);
  const colon = last.indexOf(':');
  return colon === -1 ? last : last.slice(0, colon);
}

function trimToAlphanumeric(text: string): string {
  return text.replace(/^[^a-z0-9]+/, '').replace(/[^a-z0-9]+$/, '');
}
