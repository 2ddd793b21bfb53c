import type { VersionView } from '@plugboard/client';
import { Badge } from '../ui/badge.js';
import { TableScroll } from '../ui/table-scroll.js';

/** Which version action a row's button asks for. */
export type VersionAction = 'yank' | 'unyank' | 'deprecate' | 'undeprecate';

/** `sha256:0123456789ab…` — enough to tell digests apart; the full value is in the title. */
export function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.includes(':') ? digest.split(':', 2) : ['', digest];
  return hex !== undefined && hex.length > 12 ? `${algorithm}:${hex.slice(0, 12)}…` : digest;
}

/** Bytes as `12.3 kB`. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '—';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit] ?? 'GB'}`;
}

/** A date as the reader's locale writes it, or a dash. */
export function formatDate(iso: string | null | undefined): string {
  if (iso === undefined || iso === null) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * Every version, highest first: published, status (yanked with its reason, deprecated with its
 * message, the dist-tags pointing at it), digest, size and signatures. With `onAction` (a
 * signed-in publisher on a LOCAL plugin) each row has its yank and deprecate buttons.
 */
export function VersionsTable({
  versions,
  distTags,
  onAction,
}: {
  readonly versions: readonly VersionView[];
  readonly distTags: Readonly<Record<string, string>>;
  readonly onAction?:
    ((version: string, action: VersionAction, trigger: HTMLButtonElement) => void) | undefined;
}) {
  if (versions.length === 0) return <p class="muted">No versions.</p>;
  const tagsOf = (version: string) =>
    Object.entries(distTags)
      .filter(([, tagged]) => tagged === version)
      .map(([tag]) => tag);
  return (
    <TableScroll label="Versions">
      <table class="versions">
        <caption class="visually-hidden">Versions, highest first</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Published</th>
            <th scope="col">Status</th>
            <th scope="col">Digest</th>
            <th scope="col">Size</th>
            <th scope="col">Signatures</th>
            {onAction === undefined ? null : <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {versions.map((version) => (
            <tr key={version.version} data-version={version.version}>
              <th scope="row" class="mono">
                {version.version}
              </th>
              <td class="nowrap">{formatDate(version.published)}</td>
              <td>
                <div class="status-cell">
                  {tagsOf(version.version).map((tag) => (
                    <Badge key={tag} tone="info">
                      {tag}
                    </Badge>
                  ))}
                  {version.yanked ? (
                    <span class="version-status">
                      <Badge tone="bad">yanked</Badge>
                      {version.yank_reason === undefined || version.yank_reason === '' ? null : (
                        <span class="reason">{version.yank_reason}</span>
                      )}
                    </span>
                  ) : null}
                  {version.deprecated === undefined || version.deprecated === '' ? null : (
                    <span class="version-status">
                      <Badge tone="warn">deprecated</Badge>
                      <span class="reason">{version.deprecated}</span>
                    </span>
                  )}
                </div>
              </td>
              <td>
                {version.digest === undefined ? (
                  <span class="muted">—</span>
                ) : (
                  <code class="digest" title={version.digest}>
                    {shortDigest(version.digest)}
                  </code>
                )}
              </td>
              <td class="nowrap">{formatBytes(version.size)}</td>
              <td>
                {version.signatures.length === 0 ? (
                  <span class="muted">unsigned</span>
                ) : (
                  <span>
                    <Badge tone="good">signed</Badge>{' '}
                    <span class="mono">{version.signatures.map((s) => s.key_id).join(', ')}</span>
                  </span>
                )}
              </td>
              {onAction === undefined ? null : (
                <td class="row-actions">
                  <button
                    type="button"
                    class="button button-small"
                    onClick={(event) =>
                      onAction(
                        version.version,
                        version.yanked ? 'unyank' : 'yank',
                        event.currentTarget,
                      )
                    }
                  >
                    {version.yanked ? 'Unyank' : 'Yank…'}
                    <span class="visually-hidden"> {version.version}</span>
                  </button>
                  <button
                    type="button"
                    class="button button-small"
                    onClick={(event) =>
                      onAction(
                        version.version,
                        version.deprecated === undefined || version.deprecated === ''
                          ? 'deprecate'
                          : 'undeprecate',
                        event.currentTarget,
                      )
                    }
                  >
                    {version.deprecated === undefined || version.deprecated === ''
                      ? 'Deprecate…'
                      : 'Undeprecate'}
                    <span class="visually-hidden"> {version.version}</span>
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
