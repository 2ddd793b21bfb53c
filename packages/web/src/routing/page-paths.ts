/** URLs of the page's views, built in one place. */

/** The plugin page of `name` (optionally from one repository type). */
export function pluginHref(name: string, repository?: string): string {
  const base = `/plugins/${encodeURIComponent(name)}`;
  return repository === undefined ? base : `${base}?repository=${encodeURIComponent(repository)}`;
}

/** The provider page of `id`. */
export function providerHref(id: string): string {
  return `/providers/${encodeURIComponent(id)}`;
}

/** The sign-in page, coming back to `next` afterwards. */
export function signInHref(next: string): string {
  return `/sign-in?next=${encodeURIComponent(next)}`;
}

/** A path segment after `prefix` (`/plugins/a%2Fb` → `a/b`), or undefined when it does not match. */
export function pathParameter(path: string, prefix: string): string | undefined {
  if (!path.startsWith(prefix)) return undefined;
  const rest = path.slice(prefix.length);
  if (rest === '' || rest.includes('/')) return undefined;
  try {
    return decodeURIComponent(rest);
  } catch {
    return undefined;
  }
}
