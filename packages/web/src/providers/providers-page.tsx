import { inventoryClient } from '../api/registry-api.js';
import { Pager } from '../catalog/pager.js';
import { Link } from '../routing/link.js';
import { providerHref } from '../routing/page-paths.js';
import { hasRole } from '../session/session-store.js';
import { useSession } from '../session/use-session.js';
import { Badge } from '../ui/badge.js';
import { ErrorNotice, Notice } from '../ui/notice.js';
import { useAsync } from '../ui/use-async.js';
import { RequireSignIn } from './require-sign-in.js';
import { TableScroll } from '../ui/table-scroll.js';

/** Providers per page. */
const PROVIDER_PAGE_SIZE = 25;

/** A message the previous view left in the history entry (e.g. after deleting a provider). */
function historyNotice(): string | undefined {
  const state: unknown = history.state;
  if (typeof state !== 'object' || state === null) return undefined;
  const notice = (state as { notice?: unknown }).notice;
  return typeof notice === 'string' ? notice : undefined;
}

/**
 * The domain's providers (seed 004), paged; publishers can create one from here. A provider
 * deleted on its page is confirmed here (the list no longer has it).
 */
export function ProvidersPage({ search }: { readonly search: string }) {
  const session = useSession();
  const page = Math.max(
    1,
    Number.parseInt(new URLSearchParams(search).get('page') ?? '1', 10) || 1,
  );
  const list = useAsync(`${page}\n${session?.token ?? ''}`, (signal) =>
    session === undefined
      ? Promise.resolve(undefined)
      : inventoryClient().listProviders({ page, limit: PROVIDER_PAGE_SIZE }, { signal }),
  );
  if (session === undefined) return <RequireSignIn title="Providers" next="/providers" />;
  const providers = list.data?.providers ?? [];
  const notice = historyNotice();
  return (
    <section aria-labelledby="providers-heading">
      <div class="title-row">
        <h1 id="providers-heading" tabIndex={-1}>
          Providers
        </h1>
        {hasRole(session, 'publisher') ? (
          <Link href="/providers/new" class="button button-primary">
            New provider
          </Link>
        ) : null}
      </div>
      {notice === undefined ? null : <Notice kind="success">{notice}</Notice>}
      {list.status === 'error' ? (
        <ErrorNotice error={list.error} action="Providers could not be listed" />
      ) : null}
      {list.data === undefined ? (
        <p aria-busy="true">Loading…</p>
      ) : providers.length === 0 ? (
        <p>No providers yet.</p>
      ) : (
        <TableScroll label="Providers">
          <table>
            <caption class="visually-hidden">Providers</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Plugin</th>
                <th scope="col">Endpoint</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {providers.map((provider) => (
                <tr key={provider.id}>
                  <th scope="row">
                    <Link href={providerHref(provider.id)}>{provider.name}</Link>
                  </th>
                  <td class="mono">
                    {provider.plugin_key}
                    {provider.plugin.installed ? null : (
                      <>
                        {' '}
                        <Badge tone="bad">not installed</Badge>
                      </>
                    )}
                  </td>
                  <td class="mono">{provider.endpoint ?? '—'}</td>
                  <td>{provider.enabled ? 'enabled' : <Badge tone="bad">disabled</Badge>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {list.data === undefined ? null : (
        <Pager
          page={page}
          total={list.data.total}
          pageSize={PROVIDER_PAGE_SIZE}
          label="Provider pages"
          href={(p) => `/providers?page=${p}`}
        />
      )}
    </section>
  );
}
