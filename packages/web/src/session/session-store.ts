/**
 * The signed-in token, kept for this browser tab only (`sessionStorage`): it is gone when the tab
 * closes and never reaches `localStorage`, a cookie or the URL.
 */

/** The `sessionStorage` key holding the session. */
export const SESSION_STORAGE_KEY = 'plugboard.session';

/** Who the token belongs to, as `GET /whoami` said when signing in. */
export interface Session {
  readonly token: string;
  readonly role: string;
  readonly domainId: string;
}

const listeners = new Set<() => void>();
let current: Session | undefined = readStored();

function readStored(): Session | undefined {
  try {
    const text = sessionStorage.getItem(SESSION_STORAGE_KEY);
    if (text === null) return undefined;
    const value = JSON.parse(text) as Partial<Session>;
    if (typeof value.token !== 'string' || value.token === '') return undefined;
    return {
      token: value.token,
      role: typeof value.role === 'string' ? value.role : 'reader',
      domainId: typeof value.domainId === 'string' ? value.domainId : '',
    };
  } catch {
    // Storage disabled or a damaged entry: the tab is simply signed out.
    return undefined;
  }
}

/** The session of this tab, if signed in. */
export function currentSession(): Session | undefined {
  return current;
}

/** Stores (or, with undefined, forgets) the session and tells every subscriber. */
export function setSession(session: Session | undefined): void {
  current = session;
  try {
    if (session === undefined) sessionStorage.removeItem(SESSION_STORAGE_KEY);
    else sessionStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
  } catch {
    // Without storage the session lasts until the page reloads.
  }
  for (const listener of listeners) listener();
}

/** Calls `listener` after every change; returns the unsubscribe function. */
export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const ROLE_RANK: Readonly<Record<string, number>> = { reader: 1, publisher: 2, admin: 3 };

/** True when the session's role is at least `role` (reader < publisher < admin). */
export function hasRole(
  session: Session | undefined,
  role: 'reader' | 'publisher' | 'admin',
): boolean {
  return session !== undefined && (ROLE_RANK[session.role] ?? 0) >= (ROLE_RANK[role] ?? 0);
}
