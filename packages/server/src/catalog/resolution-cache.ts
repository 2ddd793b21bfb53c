import { resolveVersion, type ResolvedVersion, type VersionCandidate } from '@plugboard/core';
import { versionCandidate } from '../repositories/local/plugin-views.js';
import type { PluginDetail, VersionView } from './plugin-view.js';

/** Specs remembered per plugin detail; past it the oldest is dropped. */
export const MAX_CACHED_SPECS_PER_DETAIL = 64;

/** What a resolution against a detail gives: the version and the view it points at. */
export type DetailResolution = ResolvedVersion<VersionCandidate & { view: VersionView }>;

/**
 * Resolutions by detail object, then spec. Sources hand out the same detail object until the
 * plugin changes (the LOCAL facts cache) and a new one after, so keying on the object's identity
 * needs no invalidation of its own; a source that builds a detail per request only misses.
 */
const resolutions = new WeakMap<PluginDetail, Map<string, DetailResolution>>();

/**
 * `resolveVersion(spec, detail.versions, {distTags: detail.dist_tags})` by core's rules,
 * remembered for the same detail object: parsing and ranking every version on each request was
 * a large share of a resolve's CPU. Failures (VERSION_NOT_FOUND…) are thrown and not remembered.
 */
export function resolveInDetail(
  detail: PluginDetail,
  spec: string,
  subject: string,
): DetailResolution {
  let bySpec = resolutions.get(detail);
  const cached = bySpec?.get(spec);
  if (cached !== undefined) return cached;
  const resolved = resolveVersion(spec, detail.versions.map(versionCandidate), {
    distTags: detail.dist_tags,
    subject,
  });
  if (bySpec === undefined) {
    bySpec = new Map();
    resolutions.set(detail, bySpec);
  }
  if (bySpec.size >= MAX_CACHED_SPECS_PER_DETAIL) {
    const oldest = bySpec.keys().next();
    if (oldest.done !== true) bySpec.delete(oldest.value);
  }
  bySpec.set(spec, resolved);
  return resolved;
}
