import type { PluginDetail, RepositoryType } from '@plugboard/client';
import { isPlugboardError } from '@plugboard/core';
import { useEffect, useRef, useState } from 'preact/hooks';
import { registryClient } from '../api/registry-api.js';
import { PluginBadges } from '../catalog/plugin-badges.js';
import { hasRole } from '../session/session-store.js';
import { useSession } from '../session/use-session.js';
import { ErrorNotice, Notice } from '../ui/notice.js';
import { PluginIcon } from '../ui/plugin-icon.js';
import { useAsync } from '../ui/use-async.js';
import { InstallCommand } from './install-command.js';
import { MarkdownView } from './markdown-view.js';
import { PluginFacts } from './plugin-facts.js';
import { PluginStateButton } from './plugin-state-button.js';
import { pluginDocs, MAX_DOC_CHARS } from './plugin-docs.js';
import { VersionActionForm } from './version-action-form.js';
import { VersionsTable, type VersionAction } from './versions-table.js';

const REPOSITORY_TYPES: readonly string[] = ['MANAGED', 'LOCAL', 'REMOTE'];

/**
 * A plugin's page: docs rendered from Markdown (never as HTML), the install command, versions
 * with their status, dist-tags, capabilities, the manifest as JSON and the warnings of REMOTE
 * repositories; a signed-in publisher manages LOCAL plugins here.
 */
export function PluginPage({ name, search }: { readonly name: string; readonly search: string }) {
  const wanted = new URLSearchParams(search).get('repository')?.toUpperCase() ?? '';
  const repository = REPOSITORY_TYPES.includes(wanted) ? (wanted as RepositoryType) : undefined;
  const session = useSession();
  const detail = useAsync<PluginDetail>(
    `${name}\n${repository ?? ''}\n${session?.token ?? ''}`,
    (signal) => registryClient().getPlugin(name, { repository, signal }),
  );
  const [status, setStatus] = useState('');
  const [pending, setPending] = useState<
    { version: string; action: 'yank' | 'deprecate' } | undefined
  >();
  const [actionError, setActionError] = useState<unknown>(undefined);
  const trigger = useRef<HTMLButtonElement | null>(null);
  const plugin = detail.data;
  useEffect(() => {
    if (plugin !== undefined) document.title = `${plugin.display_name ?? plugin.name} · Plugboard`;
  }, [plugin]);

  if (plugin === undefined) {
    if (detail.status === 'error') {
      const missing = isPlugboardError(detail.error) && detail.error.code === 'PLUGIN_NOT_FOUND';
      return (
        <section>
          <h1 tabIndex={-1}>{missing ? 'Plugin not found' : 'Plugin'}</h1>
          <ErrorNotice error={detail.error} action={`Plugin "${name}" could not be loaded`} />
        </section>
      );
    }
    return <p aria-busy="true">Loading {name}…</p>;
  }

  const canManage = hasRole(session, 'publisher') && plugin.repository_type === 'LOCAL';
  const finish = (message: string) => {
    setPending(undefined);
    setActionError(undefined);
    setStatus(message);
    detail.reload();
    trigger.current?.focus();
  };
  const onAction = (version: string, action: VersionAction, button: HTMLButtonElement) => {
    trigger.current = button;
    setStatus('');
    if (action === 'yank' || action === 'deprecate') {
      setPending({ version, action });
      return;
    }
    const client = registryClient();
    const call =
      action === 'unyank'
        ? client.unyankVersion(name, version)
        : client.deprecateVersion(name, version, '');
    call.then(
      () =>
        finish(
          action === 'unyank'
            ? `Lifted the yank of ${version}.`
            : `Lifted the deprecation of ${version}.`,
        ),
      (error: unknown) => setActionError(error),
    );
  };
  const title =
    plugin.display_name !== undefined && plugin.display_name !== ''
      ? plugin.display_name
      : plugin.name;
  const docs = pluginDocs(plugin);
  return (
    <article class="plugin-page" aria-labelledby="plugin-title">
      <header class="plugin-header">
        <PluginIcon name={plugin.name} icon={plugin.icon} size={64} />
        <div>
          <h1 id="plugin-title" tabIndex={-1}>
            {title}
          </h1>
          {title === plugin.name ? null : <p class="mono plugin-name">{plugin.name}</p>}
          <p>
            {plugin.latest_version === undefined ? (
              'No released version'
            ) : (
              <>
                Latest version <span class="mono">{plugin.latest_version}</span>
              </>
            )}
          </p>
          <PluginBadges plugin={plugin} />
        </div>
      </header>
      {(plugin.warnings ?? []).length === 0 ? null : (
        <Notice kind="warning">
          <h2 class="notice-title">Warnings from repositories</h2>
          <ul>
            {(plugin.warnings ?? []).map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </Notice>
      )}
      {status === '' ? null : <Notice kind="success">{status}</Notice>}
      {actionError === undefined ? null : (
        <ErrorNotice error={actionError} action="The change was refused" />
      )}
      {plugin.description === undefined || plugin.description === '' ? null : (
        <section class="plugin-description" aria-label="Description">
          <MarkdownView source={plugin.description.slice(0, MAX_DOC_CHARS)} headingOffset={2} />
        </section>
      )}
      <div class="plugin-layout">
        <div class="plugin-main">
          <InstallCommand name={plugin.name} version={plugin.latest_version} />
          {docs.map((doc) => (
            <section key={doc.title} class="plugin-docs" aria-labelledby={`docs-${doc.title}`}>
              <h2 id={`docs-${doc.title}`}>{doc.title}</h2>
              <MarkdownView source={doc.markdown} headingOffset={2} />
            </section>
          ))}
          <section aria-labelledby="versions-heading">
            <h2 id="versions-heading">Versions</h2>
            <VersionsTable
              versions={plugin.versions}
              distTags={plugin.dist_tags}
              onAction={canManage ? onAction : undefined}
            />
            {pending === undefined ? null : (
              <VersionActionForm
                key={`${pending.version}:${pending.action}`}
                name={plugin.name}
                version={pending.version}
                action={pending.action}
                onDone={finish}
                onCancel={() => {
                  setPending(undefined);
                  trigger.current?.focus();
                }}
              />
            )}
          </section>
          <section aria-labelledby="manifest-heading">
            <h2 id="manifest-heading">Manifest</h2>
            <pre class="manifest" tabIndex={0} aria-label="Manifest as JSON">
              <code>{JSON.stringify(plugin.manifest, null, 2)}</code>
            </pre>
          </section>
        </div>
        <aside class="plugin-side" aria-label="About this plugin">
          <PluginFacts plugin={plugin} />
          {canManage ? (
            <section aria-labelledby="manage-heading">
              <h2 id="manage-heading">Manage</h2>
              <PluginStateButton
                name={plugin.name}
                enabled={plugin.state !== 'disabled'}
                onDone={(message) => finish(message)}
                onError={setActionError}
              />
            </section>
          ) : null}
        </aside>
      </div>
    </article>
  );
}
