import { PlugboardError } from '../errors/plugboard-error.js';
import type { PluginManifest, Requirements } from '../manifest/manifest-schema.js';
import { shorten } from './version.js';

const API_VERSION_REGEXP = /^v([1-9][0-9]*)(?:(alpha|beta)([1-9][0-9]*))?$/;

/** The host API version a manifest without `api_version` is written against. */
export const DEFAULT_API_VERSION = 'v1';

/** Stability stages of an API version, least stable first. */
const STAGE_RANK = { alpha: 0, beta: 1, ga: 2 } as const;

/** An API version such as `v2beta1`, taken apart. */
export interface ParsedApiVersion {
  readonly text: string;
  readonly major: number;
  /** `ga` for a version without a suffix (`v2`). */
  readonly stage: 'alpha' | 'beta' | 'ga';
  /** The number after `alpha` / `beta`; 0 for `ga`. */
  readonly stageNumber: number;
}

/** The API version range a plugin accepts; a missing bound is unbounded. Both bounds inclusive. */
export interface ApiVersionRange {
  readonly min?: string | undefined;
  readonly max?: string | undefined;
}

/** Parses `v1`, `v2alpha1`, `v2beta3`; throws `VERSION_INVALID` for anything else. */
export function parseApiVersion(text: string): ParsedApiVersion {
  const match = typeof text === 'string' ? API_VERSION_REGEXP.exec(text) : null;
  if (match?.[1] === undefined) {
    throw new PlugboardError(
      'VERSION_INVALID',
      `${JSON.stringify(shorten(text))} is not an API version (expected v1, v2alpha1, v2beta1, …)`,
      { details: { apiVersion: shorten(text) } },
    );
  }
  const stage = match[2] === 'alpha' || match[2] === 'beta' ? match[2] : 'ga';
  return {
    text,
    major: Number(match[1]),
    stage,
    stageNumber: match[3] === undefined ? 0 : Number(match[3]),
  };
}

/** True when `text` is an API version such as `v1` or `v2beta1`. */
export function isValidApiVersion(text: unknown): text is string {
  return typeof text === 'string' && API_VERSION_REGEXP.test(text);
}

/**
 * Orders API versions: by major, then alpha < beta < GA, then the stage number, so
 * `v1 < v2alpha1 < v2alpha2 < v2beta1 < v2`. Negative when `a < b`.
 */
export function compareApiVersions(a: string, b: string): number {
  const left = parseApiVersion(a);
  const right = parseApiVersion(b);
  return (
    Math.sign(left.major - right.major) ||
    Math.sign(STAGE_RANK[left.stage] - STAGE_RANK[right.stage]) ||
    Math.sign(left.stageNumber - right.stageNumber)
  );
}

/**
 * The API range of a plugin. From `requirements`: `min_api_version` and `max_api_version` as
 * given. From a manifest (anything with `name`, `api_version` or `requirements`): a bound the
 * requirements leave out is the manifest's `api_version` (default `v1`), so a manifest that says
 * nothing speaks exactly the one version it was written against — an API major is a breaking
 * change, so "v1 and everything after" would be a promise nobody made.
 */
export function apiVersionRange(source: Requirements | PluginManifest): ApiVersionRange {
  if (!isManifest(source)) {
    return { min: source.min_api_version, max: source.max_api_version };
  }
  const own = source.api_version ?? DEFAULT_API_VERSION;
  return {
    min: source.requirements?.min_api_version ?? own,
    max: source.requirements?.max_api_version ?? own,
  };
}

/** True when the host's API version lies in the plugin's range. Never throws for bad input: false. */
export function isApiCompatible(
  source: Requirements | PluginManifest,
  hostApiVersion: string,
): boolean {
  try {
    checkApiCompatibility(source, hostApiVersion);
    return true;
  } catch {
    return false;
  }
}

/**
 * Throws `API_VERSION_INCOMPATIBLE` naming the plugin's range and the host's version when the
 * host's API version is outside `[min_api_version, max_api_version]` (see `apiVersionRange`);
 * `VERSION_INVALID` when a bound or the host version is malformed.
 *
 * @example
 * checkApiCompatibility({min_api_version: 'v1', max_api_version: 'v1'}, 'v2') // throws
 */
export function checkApiCompatibility(
  source: Requirements | PluginManifest,
  hostApiVersion: string,
): void {
  const range = apiVersionRange(source);
  parseApiVersion(hostApiVersion);
  const tooOld = range.min !== undefined && compareApiVersions(hostApiVersion, range.min) < 0;
  const tooNew = range.max !== undefined && compareApiVersions(hostApiVersion, range.max) > 0;
  if (!tooOld && !tooNew) return;
  const plugin = isManifest(source) && typeof source.name === 'string' ? source.name : undefined;
  const wanted = describeRange(range);
  throw new PlugboardError(
    'API_VERSION_INCOMPATIBLE',
    `${plugin === undefined ? 'the plugin' : `plugin "${shorten(plugin)}"`} supports API ${wanted}, but the host speaks ${hostApiVersion}`,
    {
      details: {
        ...(plugin === undefined ? {} : { plugin }),
        minApiVersion: range.min ?? null,
        maxApiVersion: range.max ?? null,
        hostApiVersion,
      },
    },
  );
}

function describeRange(range: ApiVersionRange): string {
  if (range.min !== undefined && range.min === range.max) return range.min;
  if (range.min !== undefined && range.max !== undefined) return `${range.min} to ${range.max}`;
  if (range.min !== undefined) return `${range.min} or later`;
  if (range.max !== undefined) return `up to ${range.max}`;
  return 'of any version';
}

function isManifest(source: Requirements | PluginManifest): source is PluginManifest {
  return 'name' in source || 'api_version' in source || 'requirements' in source;
}
