import { Fragment } from 'preact';
import type { PluginDetail } from '@plugboard/client';
import { Link } from '../routing/link.js';
import { catalogSearch, EMPTY_CATALOG_QUERY } from '../catalog/catalog-query.js';
import { pluginCapabilities } from './plugin-docs.js';
import { formatDate } from './versions-table.js';

function filterHref(change: Partial<typeof EMPTY_CATALOG_QUERY>): string {
  return `/${catalogSearch({ ...EMPTY_CATALOG_QUERY, ...change })}`;
}

/** The side facts of a plugin page: type, providers, labels, repository, dist-tags, capabilities. */
export function PluginFacts({ plugin }: { readonly plugin: PluginDetail }) {
  const tags = Object.entries(plugin.dist_tags);
  const capabilities = pluginCapabilities(plugin);
  return (
    <>
      <section aria-labelledby="facts-heading">
        <h2 id="facts-heading">Details</h2>
        <dl class="facts">
          {plugin.type === undefined ? null : (
            <>
              <dt>Type</dt>
              <dd>
                <Link href={filterHref({ type: plugin.type })}>{plugin.type}</Link>
              </dd>
            </>
          )}
          {plugin.providers.length === 0 ? null : (
            <>
              <dt>Providers</dt>
              <dd>
                {plugin.providers.map((provider, index) => (
                  <span key={provider}>
                    {index === 0 ? '' : ', '}
                    <Link href={filterHref({ provider })}>{provider}</Link>
                  </span>
                ))}
              </dd>
            </>
          )}
          {plugin.labels.length === 0 ? null : (
            <>
              <dt>Labels</dt>
              <dd>
                {plugin.labels.map((label, index) => (
                  <span key={label}>
                    {index === 0 ? '' : ', '}
                    <Link href={filterHref({ label })}>{label}</Link>
                  </span>
                ))}
              </dd>
            </>
          )}
          <dt>Repository</dt>
          <dd>
            {plugin.repository_type}
            {plugin.repository.name === plugin.repository_type.toLowerCase()
              ? ''
              : ` (${plugin.repository.name})`}
          </dd>
          {plugin.image === undefined ? null : (
            <>
              <dt>Image</dt>
              <dd class="mono">{plugin.image.image}</dd>
            </>
          )}
          <dt>State</dt>
          <dd>{plugin.state}</dd>
          {plugin.updated_at === undefined ? null : (
            <>
              <dt>Updated</dt>
              <dd>{formatDate(plugin.updated_at)}</dd>
            </>
          )}
        </dl>
      </section>
      <section aria-labelledby="tags-heading">
        <h2 id="tags-heading">Dist-tags</h2>
        {tags.length === 0 ? (
          <p class="muted">None.</p>
        ) : (
          <dl class="facts dist-tags">
            {tags.map(([tag, version]) => (
              <Fragment key={tag}>
                <dt>{tag}</dt>
                <dd class="mono">{version}</dd>
              </Fragment>
            ))}
          </dl>
        )}
      </section>
      <section aria-labelledby="capabilities-heading">
        <h2 id="capabilities-heading">Capabilities</h2>
        {capabilities.length === 0 ? (
          <p class="muted">None declared.</p>
        ) : (
          <ul class="capabilities">
            {capabilities.map((capability, index) => (
              <li key={index}>
                <span class="mono">{capability.type}</span>
                {capability.endpoints.length === 0 ? null : (
                  <span class="muted"> — {capability.endpoints.join(', ')}</span>
                )}
                {capability.details.length === 0 ? null : (
                  <div class="muted small">{capability.details.join(' · ')}</div>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
