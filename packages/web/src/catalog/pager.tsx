import type { ComponentChildren } from 'preact';
import { Link } from '../routing/link.js';

/**
 * Previous / next controls of a paged list, with "page n of m": links when each page has a URL
 * (`href`), buttons when the page lives in a component's state (`onPage`).
 */
export function Pager({
  page,
  total,
  pageSize,
  href,
  onPage,
  label,
}: {
  readonly page: number;
  readonly total: number;
  readonly pageSize: number;
  readonly href?: ((page: number) => string) | undefined;
  readonly onPage?: ((page: number) => void) | undefined;
  readonly label: string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1 && page <= 1) return null;
  const control = (
    target: number,
    enabled: boolean,
    rel: 'prev' | 'next',
    children: ComponentChildren,
  ) => {
    if (!enabled) {
      return (
        <span class="pager-off" aria-hidden="true">
          {children}
        </span>
      );
    }
    if (href !== undefined) {
      return (
        <Link href={href(target)} rel={rel}>
          {children}
        </Link>
      );
    }
    return (
      <button type="button" class="button button-small" onClick={() => onPage?.(target)}>
        {children}
      </button>
    );
  };
  return (
    <nav class="pager" aria-label={label}>
      {control(page - 1, page > 1, 'prev', '← Previous')}
      <span>
        Page {page} of {pages}
      </span>
      {control(page + 1, page < pages, 'next', 'Next →')}
    </nav>
  );
}
