import { isPlugboardError } from '@plugboard/core';
import type { ComponentChildren } from 'preact';
import { describeError } from '../api/api-error.js';
import { Link } from '../routing/link.js';
import { signInHref } from '../routing/page-paths.js';

/** A message block: errors are announced at once (`role="alert"`), others politely. */
export function Notice({
  kind,
  children,
}: {
  readonly kind: 'error' | 'warning' | 'info' | 'success';
  readonly children: ComponentChildren;
}) {
  return (
    <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** An error as the page shows it: the code and the server's message, as text. */
export function ErrorNotice({
  error,
  action,
}: {
  readonly error: unknown;
  readonly action?: string;
}) {
  return (
    <Notice kind="error">
      {action === undefined ? '' : `${action}: `}
      {describeError(error)}
      {isPlugboardError(error) && error.code === 'UNAUTHENTICATED' ? (
        <>
          {' '}
          <Link href={signInHref(`${location.pathname}${location.search}`)}>Sign in again</Link>
        </>
      ) : null}
    </Notice>
  );
}
