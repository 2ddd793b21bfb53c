import type { PluginSummary } from '@plugboard/client';
import { Badge } from '../ui/badge.js';

/** The repository, deprecated, signed and disabled badges of a plugin. */
export function PluginBadges({ plugin }: { readonly plugin: Partial<PluginSummary> }) {
  return (
    <ul class="badges" aria-label="Badges">
      {plugin.repository_type === undefined ? null : (
        <li>
          <Badge
            tone="info"
            title={
              plugin.repository?.name === undefined
                ? undefined
                : `repository ${plugin.repository.name}`
            }
          >
            {plugin.repository_type}
          </Badge>
        </li>
      )}
      {plugin.deprecated === true ? (
        <li>
          <Badge tone="warn">deprecated</Badge>
        </li>
      ) : null}
      {plugin.signed === true ? (
        <li>
          <Badge tone="good">signed</Badge>
        </li>
      ) : null}
      {plugin.state === 'disabled' || plugin.enabled === false ? (
        <li>
          <Badge tone="bad">disabled</Badge>
        </li>
      ) : null}
    </ul>
  );
}
