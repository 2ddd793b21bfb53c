import type { ComponentChildren } from 'preact';
import { navigate } from './router.js';

/** Properties of `Link`. */
export interface LinkProps {
  readonly href: string;
  readonly class?: string | undefined;
  readonly rel?: string | undefined;
  readonly 'aria-current'?: 'page' | undefined;
  readonly children?: ComponentChildren;
}

/**
 * An ordinary link (open in a new tab, copy address all work) that navigates inside the page on
 * a plain click.
 */
export function Link({ href, children, ...rest }: LinkProps) {
  return (
    <a
      {...rest}
      href={href}
      onClick={(event) => {
        if (
          event.defaultPrevented ||
          event.button !== 0 ||
          event.metaKey ||
          event.ctrlKey ||
          event.shiftKey ||
          event.altKey
        ) {
          return;
        }
        event.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
