/** Longest entry path accepted, in characters (Linux PATH_MAX). */
export const MAX_ENTRY_PATH_CHARS = 4096;

/** A checked path, or why it is refused. */
export type PathCheck = { readonly path: string } | { readonly problem: string };

/**
 * Checks and normalises an archive path: relative, `/`-separated, no `..`, no NUL or backslash;
 * `./` and repeated slashes are dropped. The package root itself normalises to `''`.
 *
 * @example
 * normalizeEntryPath('./bin//run') // { path: 'bin/run' }
 * normalizeEntryPath('../x')       // { problem: 'contains ".."' }
 */
export function normalizeEntryPath(raw: string): PathCheck {
  if (raw.length > MAX_ENTRY_PATH_CHARS) {
    return { problem: `is longer than ${MAX_ENTRY_PATH_CHARS} characters` };
  }
  if (raw.includes('\0')) return { problem: 'contains a NUL character' };
  if (raw.includes('\\')) return { problem: 'contains a backslash' };
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) return { problem: 'is an absolute path' };
  const segments: string[] = [];
  for (const segment of raw.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') return { problem: 'contains ".."' };
    segments.push(segment);
  }
  return { path: segments.join('/') };
}

/**
 * Where a symlink at `entryPath` pointing at `target` leads, as a package path; a problem when the
 * target is absolute or climbs above the package root. Resolution is lexical, which is sound only
 * because no entry may lie below a symlink (checked by the caller).
 */
export function resolveSymlinkTarget(entryPath: string, target: string): PathCheck {
  if (target === '') return { problem: 'has an empty target' };
  if (target.includes('\0')) return { problem: 'has a target with a NUL character' };
  if (target.startsWith('/') || /^[A-Za-z]:/.test(target) || target.includes('\\')) {
    return { problem: `points outside the package (absolute target "${target}")` };
  }
  const segments = entryPath.split('/').slice(0, -1);
  for (const segment of target.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) {
        return { problem: `points outside the package (target "${target}")` };
      }
      segments.pop();
    } else {
      segments.push(segment);
    }
  }
  return { path: segments.join('/') };
}

/** Every proper ancestor of a package path: `a/b/c` → `a`, `a/b`. */
export function ancestorsOf(path: string): string[] {
  const segments = path.split('/');
  const ancestors: string[] = [];
  for (let index = 1; index < segments.length; index += 1) {
    ancestors.push(segments.slice(0, index).join('/'));
  }
  return ancestors;
}
