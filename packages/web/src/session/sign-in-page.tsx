import { PlugboardError } from '@plugboard/core';
import { useState } from 'preact/hooks';
import { clientWithToken } from '../api/registry-api.js';
import { navigate } from '../routing/router.js';
import { ErrorNotice } from '../ui/notice.js';
import { setSession } from './session-store.js';

/** Where to go after signing in: a path of this page only (never another site). */
export function safeNext(search: string): string {
  const next = new URLSearchParams(search).get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

/**
 * Signing in: the token is checked with `GET /whoami`, then kept in this tab's `sessionStorage`
 * only (closing the tab forgets it).
 */
export function SignInPage({ search }: { readonly search: string }) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  return (
    <section aria-labelledby="sign-in-heading" class="narrow">
      <h1 id="sign-in-heading" tabIndex={-1}>
        Sign in
      </h1>
      <p>
        Paste a registry token (<span class="mono">pb_…</span>). It is kept for this tab only and
        forgotten when the tab closes.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const candidate = token.trim();
          setBusy(true);
          setError(undefined);
          // A token that cannot go in a header makes the client throw: a rejection here too. A
          // blank token would ask anonymously: `authenticated` must be true.
          Promise.resolve()
            .then(() => clientWithToken(candidate).whoami())
            .then((who) => {
              if (who['authenticated'] !== true) {
                throw new PlugboardError('UNAUTHENTICATED', 'the server did not accept this token');
              }
              return who;
            })
            .then(
              (who) => {
                setBusy(false);
                setSession({
                  token: candidate,
                  role: typeof who['role'] === 'string' ? who['role'] : 'reader',
                  domainId: typeof who['domain_id'] === 'string' ? who['domain_id'] : '',
                });
                navigate(safeNext(search), { replace: true });
              },
              (failure: unknown) => {
                setBusy(false);
                setError(failure);
              },
            );
        }}
      >
        <div class="field">
          <label for="sign-in-token">Token</label>
          <input
            id="sign-in-token"
            type="password"
            autocomplete="off"
            spellcheck={false}
            required
            value={token}
            onInput={(event) => setToken(event.currentTarget.value)}
          />
        </div>
        {error === undefined ? null : <ErrorNotice error={error} action="Signing in failed" />}
        <button type="submit" class="button button-primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </section>
  );
}
