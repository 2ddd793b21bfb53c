import type { ComponentChildren } from 'preact';

/** Tones of a badge; each has a text/background pair with at least 4.5:1 contrast. */
export type BadgeTone = 'neutral' | 'info' | 'good' | 'warn' | 'bad';

/** A short status word beside a plugin or a version. */
export function Badge({
  tone = 'neutral',
  title,
  children,
}: {
  readonly tone?: BadgeTone;
  readonly title?: string | undefined;
  readonly children: ComponentChildren;
}) {
  return (
    <span class={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}
