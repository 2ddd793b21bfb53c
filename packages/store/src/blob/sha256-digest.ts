import { PlugboardError } from '@plugboard/core';

/** A content digest as Plugboard writes it: `sha256:` and 64 lower-case hex digits. */
export const SHA256_DIGEST_PATTERN = '^sha256:[0-9a-f]{64}$';

const SHA256_DIGEST_REGEXP = new RegExp(SHA256_DIGEST_PATTERN);

/** True when `value` is a `sha256:` digest. */
export function isSha256Digest(value: unknown): value is string {
  return typeof value === 'string' && SHA256_DIGEST_REGEXP.test(value);
}

/** The 64 hex digits of a digest; `INVALID_ARGUMENT` naming `field` when it is not one. */
export function sha256Hex(digest: unknown, field = 'digest'): string {
  if (!isSha256Digest(digest)) {
    const shown = typeof digest === 'string' ? JSON.stringify(digest.slice(0, 80)) : String(digest);
    throw new PlugboardError(
      'INVALID_ARGUMENT',
      `${field} ${shown} must be "sha256:" followed by 64 lower-case hex digits`,
      { details: { field } },
    );
  }
  return digest.slice('sha256:'.length);
}
