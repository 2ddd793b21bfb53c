const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Decodes base64 (standard or URL-safe, padding optional, whitespace ignored) to UTF-8 text.
 * Returns `undefined` for text that is not base64 or bytes that are not UTF-8. Core is pure, so
 * neither `Buffer` nor `atob`/`TextDecoder` are available here.
 */
export function decodeBase64Text(encoded: string): string | undefined {
  const compact = encoded.replace(/\s+/g, '').replace(/=+$/, '');
  if (compact.length % 4 === 1) return undefined;
  const alphabet = /[-_]/.test(compact) ? URL_SAFE_ALPHABET : ALPHABET;
  let percentEncoded = '';
  let buffer = 0;
  let bits = 0;
  for (const char of compact) {
    const value = alphabet.indexOf(char);
    if (value === -1) return undefined;
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      const byte = (buffer >> bits) & 0xff;
      percentEncoded += `%${byte.toString(16).padStart(2, '0')}`;
    }
  }
  try {
    // decodeURIComponent is a strict UTF-8 decoder: it throws on malformed sequences.
    return decodeURIComponent(percentEncoded);
  } catch {
    return undefined;
  }
}
