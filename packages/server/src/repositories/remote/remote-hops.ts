/**
 * Header naming the Plugboard servers a request went through (their registry ids, oldest first,
 * comma-separated). Every call a server makes to a REMOTE repository carries it with its own id
 * appended; a server that finds its own id in it, or `MAX_REMOTE_HOPS` ids, answers from its LOCAL
 * and MANAGED repositories only. So servers that list each other as REMOTEs answer at once.
 */
export const VIA_HEADER = 'plugboard-via';

/** Servers a request may have passed before the next one stops asking its REMOTEs. */
export const MAX_REMOTE_HOPS = 8;

/** What a registry id in the header may look like (ours are `reg-<uuid>`). */
const HOP_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Longest header value read; anything longer is cut (and then counts as too many hops). */
const MAX_HEADER_CHARS = 4096;

/**
 * The ids a `Plugboard-Via` header names, in order. Malformed entries are kept as `?` so they
 * still count as hops; a repeated header is read as one list.
 */
export function parseViaHeader(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const text = (typeof value === 'string' ? value : value.join(',')).slice(0, MAX_HEADER_CHARS);
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => (HOP_ID.test(entry) ? entry : '?'));
}

/** True when this server must not call its REMOTEs for a request that went through `path`. */
export function mustStayLocal(selfId: string, path: readonly string[]): boolean {
  return path.length >= MAX_REMOTE_HOPS || path.includes(selfId);
}

/** The header a call this server makes for that request carries: its path and this server. */
export function viaHeaders(path: readonly string[], selfId: string): Record<string, string> {
  return { [VIA_HEADER]: [...path, selfId].join(', ') };
}
