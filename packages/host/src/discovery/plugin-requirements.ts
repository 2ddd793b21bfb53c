import {
  checkApiCompatibility,
  DEFAULT_API_VERSION,
  isPlugboardError,
  type ErrorCode,
  type PluginManifest,
} from '@plugboard/core';

/** The plugin API version this host implements unless told otherwise. */
export const DEFAULT_HOST_API_VERSION = DEFAULT_API_VERSION;

/**
 * Why this host cannot run the plugin, or `undefined` when it can: the host's API version must be
 * in the manifest's range (core's `checkApiCompatibility`), and `requirements.os` / `arch`, when
 * listed, must include this machine's.
 */
export function requirementProblem(
  manifest: PluginManifest,
  hostApiVersion: string,
  platform: string = process.platform,
  arch: string = process.arch,
): { code: ErrorCode; message: string } | undefined {
  try {
    checkApiCompatibility(manifest, hostApiVersion);
  } catch (error) {
    if (isPlugboardError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  const requirements = manifest.requirements;
  // No error code says "wrong platform"; CONFLICT ("conflicts with the current state") is closest.
  if (requirements?.os !== undefined && !requirements.os.includes(platform)) {
    return {
      code: 'CONFLICT',
      message: `runs on ${requirements.os.join(', ')}, not on ${platform}`,
    };
  }
  if (requirements?.arch !== undefined && !requirements.arch.includes(arch)) {
    return { code: 'CONFLICT', message: `runs on ${requirements.arch.join(', ')}, not on ${arch}` };
  }
  return undefined;
}
