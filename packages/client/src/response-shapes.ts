import { isRecord, unexpectedBodyError, type CallSite } from './transport/registry-errors.js';

/** The body as a JSON object, or UNAVAILABLE naming the call when it is anything else. */
export function expectRecord(body: unknown, site: CallSite): Record<string, unknown> {
  if (!isRecord(body)) throw unexpectedBodyError(site, 'it is not a JSON object');
  return body;
}

/** The body as an object whose `key` is a string, or UNAVAILABLE naming the call. */
export function expectStringField(
  body: unknown,
  key: string,
  site: CallSite,
): Record<string, unknown> {
  const record = expectRecord(body, site);
  if (typeof record[key] !== 'string') throw unexpectedBodyError(site, `"${key}" is not a string`);
  return record;
}

/**
 * A list answer `{<key>: [...], total, page, limit, warnings}`; missing counters are filled in,
 * and a missing or non-list `key` is UNAVAILABLE naming the call.
 */
export function expectPage(body: unknown, key: string, site: CallSite): Record<string, unknown> {
  const page = expectRecord(body, site);
  const items = page[key];
  if (!Array.isArray(items)) throw unexpectedBodyError(site, `"${key}" is not a list`);
  const warnings = Array.isArray(page['warnings'])
    ? page['warnings'].filter((warning): warning is string => typeof warning === 'string')
    : [];
  return {
    ...page,
    total: typeof page['total'] === 'number' ? page['total'] : items.length,
    page: typeof page['page'] === 'number' ? page['page'] : 1,
    limit: typeof page['limit'] === 'number' ? page['limit'] : items.length,
    warnings,
  };
}
