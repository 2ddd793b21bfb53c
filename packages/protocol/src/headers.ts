/** Optional request header: the caller's deadline for this call, in milliseconds from receipt. */
export const TIMEOUT_HEADER = 'x-plugboard-timeout-ms';

/** Optional request header: an id the host chose for the call, repeated in the plugin's logs. */
export const REQUEST_ID_HEADER = 'x-plugboard-request-id';

/** Content type of JSON request and response bodies. */
export const JSON_CONTENT_TYPE = 'application/json';

/** Content type of a streamed (NDJSON) response: one JSON value per line. */
export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';

/**
 * Reads `x-plugboard-timeout-ms`: a positive integer of milliseconds, or `undefined` when the header
 * is absent or not a positive integer (an unusable deadline is ignored rather than failing the call).
 */
export function parseTimeoutHeader(
  value: string | readonly string[] | undefined,
): number | undefined {
  const text: string | undefined = typeof value === 'string' ? value : value?.[0];
  if (typeof text !== 'string' || !/^[0-9]{1,12}$/.test(text.trim())) return undefined;
  const ms = Number(text.trim());
  return ms > 0 ? ms : undefined;
}

/** True when a `Content-Type` header value names NDJSON (parameters such as charset are ignored). */
export function isNdjsonContentType(value: string | undefined): boolean {
  return value?.split(';')[0]?.trim().toLowerCase() === NDJSON_CONTENT_TYPE;
}
