import type { ComponentChildren } from 'preact';

/**
 * The box a wide table scrolls in on a narrow screen. It is a labelled, focusable region so a
 * keyboard user can scroll it with the arrow keys.
 */
export function TableScroll({
  label,
  children,
}: {
  readonly label: string;
  readonly children: ComponentChildren;
}) {
  return (
    <div class="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
