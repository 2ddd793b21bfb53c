import { useEffect, useState } from 'preact/hooks';
import { currentSession, subscribeSession, type Session } from './session-store.js';

/** The tab's session, re-rendering the component when it signs in or out. */
export function useSession(): Session | undefined {
  const [session, setSession] = useState(currentSession);
  useEffect(() => subscribeSession(() => setSession(currentSession())), []);
  return session;
}
