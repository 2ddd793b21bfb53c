import { Fragment } from 'preact';
import { isPlugboardError } from '@plugboard/core';
import { useState } from 'preact/hooks';
import { FINAL_RUN_STATES, type RunView } from '@plugboard/client';
import { inventoryClient } from '../api/registry-api.js';
import { formatDate } from '../plugin/versions-table.js';
import { hasRole } from '../session/session-store.js';
import { useSession } from '../session/use-session.js';
import { Badge } from '../ui/badge.js';
import { ErrorNotice } from '../ui/notice.js';
import { useAsync } from '../ui/use-async.js';
import { navigate } from '../routing/router.js';
import { DeleteProviderForm } from './delete-provider-form.js';
import { RequireSignIn } from './require-sign-in.js';
import { ResourcesBrowser } from './resources-browser.js';
import { RunProgress, runCounts, runTone } from './run-progress.js';
import { TableScroll } from '../ui/table-scroll.js';

/** Runs shown in a provider's history. */
const RUN_HISTORY_SIZE = 10;

/**
 * One provider: its settings (secrets masked by the server), a Collect button with live run
 * progress, the run history and the resources browser.
 */
export function ProviderPage({ id }: { readonly id: string; readonly search: string }) {
  const session = useSession();
  const [finished, setFinished] = useState(0);
  const [started, setStarted] = useState<RunView | undefined>(undefined);
  const [collectError, setCollectError] = useState<unknown>(undefined);
  const token = session?.token ?? '';
  const provider = useAsync(`${id}\n${token}`, (signal) =>
    inventoryClient().getProvider(id, { signal }),
  );
  const runs = useAsync(`${id}\n${token}\n${finished}`, (signal) =>
    inventoryClient().listRuns({ provider_id: id, limit: RUN_HISTORY_SIZE }, { signal }),
  );
  if (session === undefined)
    return <RequireSignIn title="Provider" next={`/providers/${encodeURIComponent(id)}`} />;
  const current = provider.data;
  if (current === undefined) {
    if (provider.status !== 'error') return <p aria-busy="true">Loading…</p>;
    return (
      <section>
        <h1 tabIndex={-1}>
          {isPlugboardError(provider.error) && provider.error.code === 'NOT_FOUND'
            ? 'Provider not found'
            : 'Provider'}
        </h1>
        <ErrorNotice error={provider.error} action="The provider could not be loaded" />
      </section>
    );
  }
  // The run started here (kept, with its final state, once it ends), or one someone started
  // elsewhere or before a reload.
  const active = started ?? runs.data?.runs.find((run) => !FINAL_RUN_STATES.has(run.state));
  const running = active !== undefined && !FINAL_RUN_STATES.has(active.state);
  const config = Object.entries(current.connection_config);
  return (
    <article aria-labelledby="provider-heading">
      <h1 id="provider-heading" tabIndex={-1}>
        {current.name}
      </h1>
      <dl class="facts">
        <dt>Plugin</dt>
        <dd class="mono">
          {current.plugin_key}
          {current.plugin.installed ? (
            current.plugin.version === undefined ? (
              ''
            ) : (
              ` (${current.plugin.name ?? ''} ${current.plugin.version})`
            )
          ) : (
            <>
              {' '}
              <Badge tone="bad">not installed</Badge>
            </>
          )}
        </dd>
        <dt>Endpoint</dt>
        <dd class="mono">{current.endpoint ?? '—'}</dd>
        <dt>State</dt>
        <dd>{current.enabled ? 'enabled' : 'disabled'}</dd>
        {config.map(([name, value]) => (
          <Fragment key={name}>
            <dt class="mono">
              {name}
              {current.secret_parameters.includes(name) ? (
                <span class="muted"> (secret)</span>
              ) : null}
            </dt>
            <dd class="mono">{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
          </Fragment>
        ))}
      </dl>
      {hasRole(session, 'publisher') ? (
        <DeleteProviderForm
          provider={current}
          onDeleted={() =>
            navigate('/providers', { state: { notice: `Deleted provider ${current.name}.` } })
          }
        />
      ) : null}
      <section aria-labelledby="collect-heading">
        <h2 id="collect-heading">Collection</h2>
        {hasRole(session, 'publisher') ? (
          <button
            type="button"
            class="button button-primary"
            disabled={running || !current.enabled}
            onClick={() => {
              setCollectError(undefined);
              inventoryClient()
                .collect(id)
                .then((run) => {
                  setStarted(run);
                  // The history lists the new run at once (it is refreshed again when it ends).
                  runs.reload();
                }, setCollectError);
            }}
          >
            Collect now
          </button>
        ) : null}
        {collectError === undefined ? null : (
          <ErrorNotice error={collectError} action="Collection was not started" />
        )}
        {active === undefined ? null : (
          <RunProgress
            key={active.id}
            run={active}
            canCancel={hasRole(session, 'publisher')}
            onFinished={(run) => {
              setStarted(run);
              setFinished((value) => value + 1);
            }}
          />
        )}
      </section>
      <section aria-labelledby="runs-heading">
        <h2 id="runs-heading">Run history</h2>
        {runs.status === 'error' ? (
          <ErrorNotice error={runs.error} action="Runs could not be listed" />
        ) : null}
        {runs.data === undefined ? null : runs.data.runs.length === 0 ? (
          <p class="muted">No runs yet.</p>
        ) : (
          <TableScroll label="Run history">
            <table class="runs">
              <caption class="visually-hidden">Collection runs, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">State</th>
                  <th scope="col">Counts</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {runs.data.runs.map((run) => (
                  <tr key={run.id} data-run={run.id}>
                    <th scope="row">{formatDate(run.started_at ?? run.created_at)}</th>
                    <td>
                      <Badge tone={runTone(run.state)}>{run.state}</Badge>
                    </td>
                    <td>{runCounts(run)}</td>
                    <td>
                      {run.duration_ms === null ? '—' : `${(run.duration_ms / 1000).toFixed(1)} s`}
                    </td>
                    <td>{run.error === null ? '' : `${run.error.code}: ${run.error.message}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>
      <ResourcesBrowser providerId={id} version={finished} />
    </article>
  );
}
