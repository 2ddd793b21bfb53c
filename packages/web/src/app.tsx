import { useEffect, useRef } from 'preact/hooks';
import { CatalogPage } from './catalog/catalog-page.js';
import { PluginPage } from './plugin/plugin-page.js';
import { ProviderPage } from './providers/provider-page.js';
import { ProvidersPage } from './providers/providers-page.js';
import { NewProviderPage } from './providers/new-provider-page.js';
import { PublishPage } from './publish/publish-page.js';
import { Link } from './routing/link.js';
import { pathParameter, signInHref } from './routing/page-paths.js';
import { navigate, useLocation, type PageLocation } from './routing/router.js';
import { hasRole, setSession } from './session/session-store.js';
import { SignInPage } from './session/sign-in-page.js';
import { useSession } from './session/use-session.js';

const SITE_TITLE = 'Plugboard';

/** The view for a location; unknown paths get a not-found page. */
function routeView({ path, search }: PageLocation) {
  if (path === '/') return { title: 'Plugins', view: <CatalogPage search={search} /> };
  const plugin = pathParameter(path, '/plugins/');
  if (plugin !== undefined)
    return { title: plugin, view: <PluginPage name={plugin} search={search} /> };
  if (path === '/publish') return { title: 'Publish', view: <PublishPage /> };
  if (path === '/providers') return { title: 'Providers', view: <ProvidersPage search={search} /> };
  if (path === '/providers/new')
    return { title: 'New provider', view: <NewProviderPage search={search} /> };
  const provider = pathParameter(path, '/providers/');
  if (provider !== undefined)
    return { title: 'Provider', view: <ProviderPage id={provider} search={search} /> };
  if (path === '/sign-in') return { title: 'Sign in', view: <SignInPage search={search} /> };
  return {
    title: 'Not found',
    view: (
      <section>
        <h1 tabIndex={-1}>Page not found</h1>
        <p>
          Nothing lives at <span class="mono">{path}</span>.{' '}
          <Link href="/">Browse the catalog</Link>.
        </p>
      </section>
    ),
  };
}

/** The whole page: a skip link, the header with navigation and the session, and the view. */
export function App() {
  const location = useLocation();
  const session = useSession();
  const main = useRef<HTMLElement>(null);
  const { title, view } = routeView(location);
  const firstRender = useRef(true);

  // A new view moves focus to its heading (as a page load would), so screen readers announce it
  // and keyboard users start at the content. A view that loads first gets the focus on its
  // heading when it appears, unless the user has moved on. The first load keeps the browser's.
  useEffect(() => {
    document.title = `${title} · ${SITE_TITLE}`;
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const target = main.current;
    if (target === null) return;
    const focusHeading = (): boolean => {
      const heading = target.querySelector<HTMLElement>('h1');
      heading?.focus();
      return heading !== null;
    };
    if (focusHeading()) return;
    target.focus();
    const observer = new MutationObserver(() => {
      if (document.activeElement !== target || focusHeading()) observer.disconnect();
    });
    observer.observe(target, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [location.path]);

  const here = `${location.path}${location.search}`;
  const current = (path: string) =>
    location.path === path || (path !== '/' && location.path.startsWith(`${path}/`))
      ? 'page'
      : undefined;
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="site-header">
        <Link href="/" class="brand">
          Plugboard
        </Link>
        <nav aria-label="Main">
          <ul>
            <li>
              <Link href="/" aria-current={current('/')}>
                Catalog
              </Link>
            </li>
            {hasRole(session, 'publisher') ? (
              <li>
                <Link href="/publish" aria-current={current('/publish')}>
                  Publish
                </Link>
              </li>
            ) : null}
            {session === undefined ? null : (
              <li>
                <Link href="/providers" aria-current={current('/providers')}>
                  Providers
                </Link>
              </li>
            )}
          </ul>
        </nav>
        <div class="session">
          {session === undefined ? (
            <Link href={signInHref(here)} class="button button-small">
              Sign in
            </Link>
          ) : (
            <>
              <span class="session-who">
                {session.role}
                {session.domainId === '' ? '' : ` · ${session.domainId}`}
              </span>
              <button
                type="button"
                class="button button-small"
                onClick={() => {
                  setSession(undefined);
                  navigate('/');
                }}
              >
                Sign out
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {view}
      </main>
    </>
  );
}
