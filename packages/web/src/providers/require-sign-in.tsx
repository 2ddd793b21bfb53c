import { Link } from '../routing/link.js';
import { signInHref } from '../routing/page-paths.js';
import { Notice } from '../ui/notice.js';

/** What a page that needs a token shows to an anonymous visitor. */
export function RequireSignIn({ title, next }: { readonly title: string; readonly next: string }) {
  return (
    <section>
      <h1 tabIndex={-1}>{title}</h1>
      <Notice kind="info">
        Providers, collection runs and resources belong to a domain:{' '}
        <Link href={signInHref(next)}>sign in</Link> with one of its tokens.
      </Notice>
    </section>
  );
}
