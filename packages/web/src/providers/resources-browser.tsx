import { useState } from 'preact/hooks';
import type { ResourceListQuery } from '@plugboard/client';
import { inventoryClient } from '../api/registry-api.js';
import { Pager } from '../catalog/pager.js';
import { formatDate } from '../plugin/versions-table.js';
import { Badge } from '../ui/badge.js';
import { CommitInput } from '../ui/commit-input.js';
import { ErrorNotice } from '../ui/notice.js';
import { useAsync } from '../ui/use-async.js';
import { TableScroll } from '../ui/table-scroll.js';

/** Resources per page. */
const RESOURCE_PAGE_SIZE = 25;

/**
 * The resources a provider's runs collected: search, type and state filters, deleted ones on
 * request, paged on the server. `version` changes when a run finishes, to reload.
 */
export function ResourcesBrowser({
  providerId,
  version,
}: {
  readonly providerId: string;
  readonly version: number;
}) {
  const [filters, setFilters] = useState<ResourceListQuery>({ page: 1 });
  const query: ResourceListQuery = {
    ...filters,
    provider_id: providerId,
    limit: RESOURCE_PAGE_SIZE,
  };
  const list = useAsync(`${JSON.stringify(query)}\n${version}`, (signal) =>
    inventoryClient().listResources(query, { signal }),
  );
  const set = (change: ResourceListQuery) =>
    setFilters((previous) => ({ ...previous, ...change, page: change.page ?? 1 }));
  const resources = list.data?.resources ?? [];
  return (
    <section aria-labelledby="resources-heading">
      <h2 id="resources-heading">Resources</h2>
      <form
        class="filters"
        aria-label="Resource filters"
        onSubmit={(event) => {
          event.preventDefault();
        }}
      >
        <div class="field">
          <label for="resources-q">Search</label>
          <CommitInput
            id="resources-q"
            type="search"
            placeholder="name or ems_ref"
            value={filters.q ?? ''}
            onCommit={(value) => set({ q: value || undefined })}
          />
        </div>
        <div class="field">
          <label for="resources-type">Resource type</label>
          <CommitInput
            id="resources-type"
            type="text"
            placeholder="any"
            value={filters.resource_type ?? ''}
            onCommit={(value) => set({ resource_type: value || undefined })}
          />
        </div>
        <div class="field">
          <label for="resources-state">State</label>
          <CommitInput
            id="resources-state"
            type="text"
            placeholder="any"
            value={filters.state ?? ''}
            onCommit={(value) => set({ state: value || undefined })}
          />
        </div>
        <div class="field field-checkbox">
          <input
            id="resources-deleted"
            type="checkbox"
            checked={filters.include_deleted === true}
            onChange={(event) => set({ include_deleted: event.currentTarget.checked || undefined })}
          />
          <label for="resources-deleted">Include deleted</label>
        </div>
      </form>
      <p aria-live="polite" id="resources-count">
        {list.data === undefined
          ? 'Loading…'
          : `${list.data.total} resource${list.data.total === 1 ? '' : 's'}`}
      </p>
      {list.status === 'error' ? (
        <ErrorNotice error={list.error} action="Resources could not be listed" />
      ) : null}
      {resources.length === 0 ? null : (
        <TableScroll label="Resources">
          <table class="resources" aria-busy={list.status === 'loading'}>
            <caption class="visually-hidden">Resources</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Reference</th>
                <th scope="col">State</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {resources.map((resource) => (
                <tr key={resource.id} data-resource={resource.ems_ref}>
                  <th scope="row">
                    {resource.name}
                    {resource.deleted ? (
                      <>
                        {' '}
                        <Badge tone="bad">deleted</Badge>
                      </>
                    ) : null}
                  </th>
                  <td class="mono">{resource.resource_type}</td>
                  <td class="mono">{resource.ems_ref}</td>
                  <td>{resource.state ?? '—'}</td>
                  <td>{formatDate(resource.last_seen_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {list.data === undefined ? null : (
        <Pager
          page={filters.page ?? 1}
          total={list.data.total}
          pageSize={RESOURCE_PAGE_SIZE}
          label="Resource pages"
          onPage={(page) => set({ page })}
        />
      )}
    </section>
  );
}
