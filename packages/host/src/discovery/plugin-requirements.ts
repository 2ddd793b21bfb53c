import type { PluginManifest } from '@plugboard/core';

/** The plugin API version this host implements unless told otherwise. */
export const DEFAULT_HOST_API_VERSION = 'v1';

const API_VERSION = /^v([1-9][0-9]*)(?:(alpha|beta)([1-9][0-9]*))?$/;
const STAGE_RANK = { alpha: 0, beta: 1, ga: 2 } as const;

/** Orders API versions: v1alpha1 < v1beta1 < v1 < v2alpha1 < v2. `undefined` when unparsable. */
export function compareApiVersions(a: string, b: string): number | undefined {
  const left = rank(a);
  const right = rank(b);
  if (left === undefined || right === undefined) return undefined;
  for (let i = 0; i < left.length; i += 1) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

function rank(version: string): [number, number, number] | undefined {
  const match = API_VERSION.exec(version);
  if (match === null) return undefined;
  const stage = (match[2] as 'alpha' | 'beta' | undefined) ?? 'ga';
  return [Number(match[1]), STAGE_RANK[stage], match[3] === undefined ? 0 : Number(match[3])];
}

/**
 * Why this host cannot run the plugin, or `undefined` when it can: the host's API version must lie
 * within `requirements.min_api_version`…`max_api_version`, and `os` / `arch`, when listed, must
 * include this machine's.
 */
export function requirementProblem(
  manifest: PluginManifest,
  hostApiVersion: string,
  platform: string = process.platform,
  arch: string = process.arch,
): { code: 'API_VERSION_INCOMPATIBLE' | 'CONFLICT'; message: string } | undefined {
  const requirements = manifest.requirements;
  if (requirements === undefined) return undefined;
  const { min_api_version: min, max_api_version: max } = requirements;
  if (min !== undefined && (compareApiVersions(hostApiVersion, min) ?? 0) < 0) {
    return {
      code: 'API_VERSION_INCOMPATIBLE',
      message: `needs API version ${min} or later; this host implements ${hostApiVersion}`,
    };
  }
  if (max !== undefined && (compareApiVersions(hostApiVersion, max) ?? 0) > 0) {
    return {
      code: 'API_VERSION_INCOMPATIBLE',
      message: `supports API versions up to ${max}; this host implements ${hostApiVersion}`,
    };
  }
  if (requirements.os !== undefined && !requirements.os.includes(platform)) {
    return {
      code: 'CONFLICT',
      message: `runs on ${requirements.os.join(', ')}, not on ${platform}`,
    };
  }
  if (requirements.arch !== undefined && !requirements.arch.includes(arch)) {
    return {
      code: 'CONFLICT',
      message: `runs on ${requirements.arch.join(', ')}, not on ${arch}`,
    };
  }
  return undefined;
}
