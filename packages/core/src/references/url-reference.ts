import { shorten } from '../versions/version.js';
import {
  hasControlCharacter,
  referenceError,
  type FileReference,
  type HttpsReference,
} from './plugin-reference.js';

const HTTPS_EXPECTED = 'https://host[:port]/path (http:// only for localhost, 127.0.0.1 or [::1])';
const FILE_EXPECTED = 'file:///absolute/path, or a path starting with ./, ../ or /';

/** Hosts where plain `http://` is accepted: traffic never leaves the machine. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

// RFC 3986, split into scheme, authority, path, query and fragment.
const URL_REGEXP = /^(https?):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/;
// Characters RFC 3986 allows unencoded in a URL, plus `%` (checked separately as %XX).
const URL_CHARACTERS_REGEXP = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;
const BAD_PERCENT_REGEXP = /%(?![0-9A-Fa-f]{2})/;
const DNS_LABEL_REGEXP = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const IPV6_REGEXP = /^\[[0-9A-Fa-f:.]+\]$/;

/** Checks `host[:port]`; returns the problem or undefined. */
export function hostProblem(authority: string): string | undefined {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority);
  const host = match?.[1];
  if (match === null || host === undefined) return `"${shorten(authority)}" is not host[:port]`;
  const port = match[2];
  if (host === '') return 'the host is missing';
  if (host.startsWith('[')) {
    if (!IPV6_REGEXP.test(host)) return `"${shorten(host)}" is not an IPv6 address in brackets`;
  } else if (host.length > 253 || !host.split('.').every((label) => DNS_LABEL_REGEXP.test(label))) {
    return `"${shorten(host)}" is not a host name`;
  }
  if (
    port !== undefined &&
    !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)
  ) {
    return `port "${shorten(port)}" is not a number from 1 to 65535`;
  }
  return undefined;
}

/** Parses an `https://` URL (or `http://` on the loopback host). The URL is kept as written. */
export function parseHttpsReference(text: string): HttpsReference {
  const fail = (problem: string) =>
    referenceError(text, problem, HTTPS_EXPECTED, { kind: 'https' });
  const match = URL_REGEXP.exec(text);
  if (match === null) throw fail('is not a URL');
  const [, scheme, authority = ''] = match;
  if (!URL_CHARACTERS_REGEXP.test(text)) {
    throw fail('has characters a URL may not hold unencoded: write spaces and non-ASCII as %XX');
  }
  if (BAD_PERCENT_REGEXP.test(text)) throw fail('"%" must start a %XX escape');
  if (authority.includes('@')) {
    throw fail(
      'credentials do not belong in a reference (they would end up in logs and lock files)',
    );
  }
  const problem = hostProblem(authority);
  if (problem !== undefined) throw fail(problem);
  if (scheme === 'http') {
    const host = authority.replace(/:\d*$/, '').toLowerCase();
    if (!LOOPBACK_HOSTS.has(host)) {
      throw fail('plain http:// is only accepted for localhost, 127.0.0.1 and [::1]; use https://');
    }
  }
  return { kind: 'https', url: text };
}

/** Parses `file:///absolute/path` (percent-decoded) or a `./`, `../` or `/` path (kept as is). */
export function parseFileReference(text: string): FileReference {
  const fail = (problem: string, cause?: unknown) =>
    referenceError(text, problem, FILE_EXPECTED, { kind: 'file', cause });
  if (!text.startsWith('file:')) {
    if (hasControlCharacter(text)) throw fail('the path holds a control character');
    return { kind: 'file', path: text, form: 'path' };
  }
  if (!text.startsWith('file:///')) {
    throw fail('file URLs name local files only: the host part must be empty (three slashes)');
  }
  const encoded = text.slice('file://'.length);
  if (/[?#]/.test(encoded))
    throw fail('a file URL takes no query or fragment (encode ? as %3F, # as %23)');
  let path: string;
  try {
    path = decodeURIComponent(encoded);
  } catch (error) {
    throw fail('holds a "%" that is not a %XX escape of UTF-8', error);
  }
  if (hasControlCharacter(path)) throw fail('the path holds a control character');
  return { kind: 'file', path, form: 'url' };
}

/** Characters a `file:` URL path keeps as they are (RFC 3986 pchar and `/`); the rest is %XX. */
const FILE_PATH_SAFE_REGEXP = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;

/** Writes a file reference: `file://` + the percent-encoded path, or the path as it is. */
export function formatFileReference(ref: FileReference): string {
  if (ref.form === 'path') return ref.path;
  let encoded = '';
  for (const char of ref.path) {
    encoded += FILE_PATH_SAFE_REGEXP.test(char) ? char : encodeURIComponent(char);
  }
  return `file://${encoded}`;
}
