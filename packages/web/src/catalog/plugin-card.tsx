import type { PluginSummary } from '@plugboard/client';
import { Link } from '../routing/link.js';
import { pluginHref } from '../routing/page-paths.js';
import { PluginIcon } from '../ui/plugin-icon.js';
import { PluginBadges } from './plugin-badges.js';

/**
 * One plugin in the catalog grid. Every value is untrusted (any repository wrote it) and is
 * rendered as text, never as markup.
 */
export function PluginCard({
  plugin,
}: {
  readonly plugin: Partial<PluginSummary> & { name: string };
}) {
  const title =
    plugin.display_name !== undefined && plugin.display_name !== ''
      ? plugin.display_name
      : plugin.name;
  return (
    <article class="card" data-plugin={plugin.name}>
      <div class="card-head">
        <PluginIcon name={plugin.name} icon={plugin.icon} size={40} />
        <div class="card-titles">
          <h2 class="card-title">
            <Link class="card-link" href={pluginHref(plugin.name)}>
              {title}
            </Link>
          </h2>
          {title === plugin.name ? null : <p class="card-name mono">{plugin.name}</p>}
        </div>
      </div>
      {plugin.description === undefined || plugin.description === '' ? (
        <p class="card-description muted">No description.</p>
      ) : (
        <p class="card-description">{plugin.description}</p>
      )}
      <p class="card-meta">
        {plugin.latest_version === undefined ? (
          <span class="muted">no released version</span>
        ) : (
          <span>
            latest <span class="mono">{plugin.latest_version}</span>
          </span>
        )}
        {plugin.providers !== undefined && plugin.providers.length > 0 ? (
          <span class="muted"> · {plugin.providers.join(', ')}</span>
        ) : null}
      </p>
      <PluginBadges plugin={plugin} />
    </article>
  );
}
