import { isPlugboardError } from '@plugboard/core';
import { useState } from 'preact/hooks';
import type { ProviderPluginDetail } from '@plugboard/client';
import { inventoryClient } from '../api/registry-api.js';
import { Link } from '../routing/link.js';
import { providerHref, signInHref } from '../routing/page-paths.js';
import { navigate } from '../routing/router.js';
import { hasRole } from '../session/session-store.js';
import { useSession } from '../session/use-session.js';
import { ErrorNotice, Notice } from '../ui/notice.js';
import { useAsync } from '../ui/use-async.js';
import { ConnectionFields } from './connection-fields.js';
import { connectionConfigFrom, initialValues, type FieldProblem } from './connection-values.js';

/**
 * Creating a provider: pick an installed provider plugin, then fill a form generated from its
 * `connection_parameters`. Secrets are sent once and never shown again (the server masks them).
 */
export function NewProviderPage({ search }: { readonly search: string }) {
  const session = useSession();
  const chosen = new URLSearchParams(search).get('plugin') ?? '';
  const plugins = useAsync(`plugins\n${session?.token ?? ''}`, (signal) =>
    inventoryClient().listProviderPlugins({ signal }),
  );
  const detail = useAsync<ProviderPluginDetail | undefined>(
    `${chosen}\n${session?.token ?? ''}`,
    (signal) =>
      chosen === ''
        ? Promise.resolve(undefined)
        : inventoryClient().getProviderPlugin(chosen, { signal }),
  );

  if (!hasRole(session, 'publisher')) {
    return (
      <section>
        <h1 tabIndex={-1}>New provider</h1>
        <Notice kind="info">
          Creating providers needs a token with the publisher role.{' '}
          <Link href={signInHref('/providers/new')}>Sign in</Link>
        </Notice>
      </section>
    );
  }
  const available = plugins.data?.plugins ?? [];
  return (
    <section aria-labelledby="new-provider-heading" class="narrow">
      <h1 id="new-provider-heading" tabIndex={-1}>
        New provider
      </h1>
      {plugins.status === 'error' ? (
        <ErrorNotice error={plugins.error} action="Provider plugins could not be listed" />
      ) : null}
      <div class="field">
        <label for="provider-plugin">Provider plugin</label>
        <select
          id="provider-plugin"
          value={chosen}
          onChange={(event) => {
            const key = event.currentTarget.value;
            navigate(`/providers/new${key === '' ? '' : `?plugin=${encodeURIComponent(key)}`}`, {
              replace: true,
            });
          }}
        >
          <option value="">Choose a plugin…</option>
          {available.map((plugin) => (
            <option key={plugin.key} value={plugin.key}>
              {plugin.key} — {plugin.name}
              {plugin.version === null ? '' : ` ${plugin.version}`}
            </option>
          ))}
        </select>
        {plugins.status === 'ready' && available.length === 0 ? (
          <p class="hint">
            No provider plugin is installed on this server yet (an operator uploads them).
          </p>
        ) : null}
      </div>
      {detail.status === 'error' ? (
        <ErrorNotice error={detail.error} action="The plugin could not be loaded" />
      ) : null}
      {detail.data === undefined ? null : (
        <ProviderForm key={detail.data.key} plugin={detail.data} />
      )}
    </section>
  );
}

function ProviderForm({ plugin }: { readonly plugin: ProviderPluginDetail }) {
  const [name, setName] = useState('');
  const [endpoint, setEndpoint] = useState('');
  const [values, setValues] = useState(() => initialValues(plugin.connection_parameters));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="provider-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const { config, problems: found } = connectionConfigFrom(
          plugin.connection_parameters,
          values,
        );
        setProblems(found);
        setError(undefined);
        if (found.length > 0 || name.trim() === '') {
          if (name.trim() === '') setError(new Error('The provider needs a name.'));
          return;
        }
        setBusy(true);
        inventoryClient()
          .createProvider({
            name: name.trim(),
            vendor: plugin.vendor,
            provider_type: plugin.provider_type,
            endpoint: endpoint.trim() === '' ? undefined : endpoint.trim(),
            connection_config: config,
          })
          .then(
            (created) => navigate(providerHref(created.id)),
            (failure: unknown) => {
              setBusy(false);
              setError(failure);
              setProblems(serverProblems(failure));
            },
          );
      }}
    >
      {plugin.description === null ? null : <p class="muted">{plugin.description}</p>}
      <div class="field">
        <label for="provider-name">Name *</label>
        <input
          id="provider-name"
          type="text"
          required
          autocomplete="off"
          value={name}
          onInput={(event) => setName(event.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="provider-endpoint">Endpoint</label>
        <input
          id="provider-endpoint"
          type="text"
          autocomplete="off"
          placeholder="host name or URL of the managed system"
          value={endpoint}
          onInput={(event) => setEndpoint(event.currentTarget.value)}
        />
      </div>
      <ConnectionFields
        parameters={plugin.connection_parameters}
        values={values}
        problems={problems}
        onChange={(field, value) => setValues((previous) => ({ ...previous, [field]: value }))}
      />
      {error === undefined ? null : (
        <ErrorNotice error={error} action="The provider was not created" />
      )}
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy}>
          Create provider
        </button>
      </div>
    </form>
  );
}

/** Field problems the server named (`connection_config.<name>`), to mark those fields. */
function serverProblems(error: unknown): FieldProblem[] {
  if (!isPlugboardError(error)) return [];
  return error.problems.flatMap((problem) => {
    const match = /^(?:body\.)?connection_config\.([^.[]+)/.exec(problem.path);
    return match?.[1] === undefined ? [] : [{ name: match[1], message: problem.message }];
  });
}
