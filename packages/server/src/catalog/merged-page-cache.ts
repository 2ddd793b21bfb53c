import { RecentEntries } from '../cache/recent-entries.js';
import type { SourcePage } from './plugin-source.js';

/** Merged pages remembered at once; past it the least recently read is dropped. */
export const MAX_MERGED_PAGES = 500;

/**
 * A merged list page remembered with the source pages it was built from. Sources hand out the
 * very same page object until their data changes (LOCAL's page cache, MANAGED's per catalog), so
 * when every source answers a query with the pages remembered, the merge, its totals and its
 * serialized JSON are still right and are reused; any new page object builds them again.
 */
export class MergedPageCache<Page> {
  readonly #entries = new RecentEntries<{ inputs: readonly SourcePage[]; page: Page }>(
    MAX_MERGED_PAGES,
  );

  /** The page built from exactly these source pages for this key, if any. */
  find(key: string, inputs: readonly (SourcePage | undefined)[]): Page | undefined {
    const entry = this.#entries.recent(key);
    return entry !== undefined && sameInputs(entry.inputs, inputs) ? entry.page : undefined;
  }

  /** Remembers `page` as built from `inputs` (only when every source answered). */
  remember(key: string, inputs: readonly (SourcePage | undefined)[], page: Page): void {
    if (inputs.some((input) => input === undefined)) return;
    this.#entries.set(key, { inputs: inputs as readonly SourcePage[], page });
  }
}

function sameInputs(
  remembered: readonly SourcePage[],
  inputs: readonly (SourcePage | undefined)[],
): boolean {
  return remembered.length === inputs.length && remembered.every((page, i) => page === inputs[i]);
}
