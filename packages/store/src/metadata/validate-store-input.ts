import {
  CHANNEL_NAME_PATTERN,
  PLUGIN_NAME_PATTERN,
  PlugboardError,
  isValidVersion,
} from '@plugboard/core';
import { sha256Hex } from '../blob/sha256-digest.js';
import { DOMAIN_ID_PATTERN } from './domain-record.js';
import {
  DEFAULT_PLUGIN_PAGE_LIMIT,
  MAX_PLUGIN_PAGE_LIMIT,
  PLUGIN_SORT_FIELDS,
  type PluginQuery,
  type PluginSortField,
  type SortOrder,
} from './plugin-query.js';

const PLUGIN_NAME_REGEXP = new RegExp(PLUGIN_NAME_PATTERN);
const DOMAIN_ID_REGEXP = new RegExp(DOMAIN_ID_PATTERN);
const DIST_TAG_REGEXP = new RegExp(CHANNEL_NAME_PATTERN);

/** Longest free-text field (names, descriptions, messages) the store accepts, in characters. */
export const MAX_TEXT_FIELD_CHARS = 10_000;

/** Throws `INVALID_ARGUMENT` naming `field` unless `value` is a non-empty string of sane length. */
export function assertText(field: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value === '') {
    throw invalid(field, `${field} must be a non-empty string`);
  }
  if (value.length > MAX_TEXT_FIELD_CHARS) {
    throw invalid(field, `${field} must be at most ${MAX_TEXT_FIELD_CHARS} characters`);
  }
}

/** Throws `INVALID_ARGUMENT` unless `id` is a domain id. */
export function assertDomainId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !DOMAIN_ID_REGEXP.test(id)) {
    throw invalid('domainId', `domain id ${show(id)} must match ${DOMAIN_ID_PATTERN}`);
  }
}

/** Throws `INVALID_ARGUMENT` unless `name` is a plugin name. */
export function assertPluginName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !PLUGIN_NAME_REGEXP.test(name)) {
    throw invalid('name', `plugin name ${show(name)} must match ${PLUGIN_NAME_PATTERN}`);
  }
}

/** Throws `VERSION_INVALID` unless `version` is SemVer 2.0. */
export function assertVersion(version: unknown): asserts version is string {
  if (!isValidVersion(version)) {
    throw new PlugboardError('VERSION_INVALID', `version ${show(version)} is not SemVer 2.0`, {
      details: { field: 'version' },
    });
  }
}

/** Throws `INVALID_ARGUMENT` unless `digest` is `sha256:` and 64 lower-case hex digits. */
export function assertDigest(field: string, digest: unknown): asserts digest is string {
  sha256Hex(digest, field);
}

/** Throws `INVALID_ARGUMENT` unless `tag` is a dist-tag name (`latest`, `beta`, `next-2`). */
export function assertDistTag(tag: unknown): asserts tag is string {
  if (typeof tag !== 'string' || !DIST_TAG_REGEXP.test(tag)) {
    throw invalid('tag', `dist-tag ${show(tag)} must match ${CHANNEL_NAME_PATTERN}`);
  }
}

/** Throws `INVALID_ARGUMENT` unless `value` is an integer within [min, max]. */
export function assertInteger(
  field: string,
  value: unknown,
  min: number,
  max: number,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(field, `${field} must be an integer from ${min} to ${max}, got ${show(value)}`);
  }
}

/** A `PluginQuery` with every default applied and every value checked. */
export interface NormalizedPluginQuery {
  readonly q: string | undefined;
  readonly provider: string | undefined;
  readonly type: string | undefined;
  readonly capability: string | undefined;
  readonly label: string | undefined;
  readonly state: 'enabled' | 'disabled' | undefined;
  readonly sort: PluginSortField;
  readonly order: SortOrder;
  readonly offset: number;
  readonly limit: number;
}

/** Applies defaults and checks every field; `INVALID_ARGUMENT` names the first bad one. */
export function normalizePluginQuery(query: PluginQuery = {}): NormalizedPluginQuery {
  const sort = query.sort ?? 'name';
  if (!PLUGIN_SORT_FIELDS.includes(sort)) {
    throw invalid(
      'sort',
      `sort must be one of ${PLUGIN_SORT_FIELDS.join(', ')}, got ${show(sort)}`,
    );
  }
  const order = query.order ?? 'asc';
  if (order !== 'asc' && order !== 'desc') {
    throw invalid('order', `order must be asc or desc, got ${show(order)}`);
  }
  const state = query.state;
  if (state !== undefined && state !== 'enabled' && state !== 'disabled') {
    throw invalid('state', `state must be enabled or disabled, got ${show(state)}`);
  }
  const limit = query.limit ?? DEFAULT_PLUGIN_PAGE_LIMIT;
  assertInteger('limit', limit, 1, MAX_PLUGIN_PAGE_LIMIT);
  let offset: number;
  if (query.offset !== undefined) {
    assertInteger('offset', query.offset, 0, Number.MAX_SAFE_INTEGER);
    offset = query.offset;
  } else {
    const page = query.page ?? 1;
    assertInteger('page', page, 1, Math.floor(Number.MAX_SAFE_INTEGER / limit));
    offset = (page - 1) * limit;
  }
  return {
    q: optionalFilter('q', query.q),
    provider: optionalFilter('provider', query.provider),
    type: optionalFilter('type', query.type),
    capability: optionalFilter('capability', query.capability),
    label: optionalFilter('label', query.label),
    state,
    sort,
    order,
    offset,
    limit,
  };
}

function optionalFilter(field: string, value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  assertText(field, value);
  return value;
}

function invalid(field: string, message: string): PlugboardError {
  return new PlugboardError('INVALID_ARGUMENT', message, { details: { field } });
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
