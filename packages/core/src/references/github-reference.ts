import { shorten } from '../versions/version.js';
import { hasControlCharacter, referenceError, type GithubReference } from './plugin-reference.js';

const EXPECTED = 'github://owner/repo[@tag] (no tag: the latest release)';

// GitHub's rules: owners are 1-39 letters, digits and single inner hyphens; repositories are
// 1-100 letters, digits, ".", "_" and "-".
const OWNER_REGEXP = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const REPO_REGEXP = /^[A-Za-z0-9._-]{1,100}$/;
// A practical subset of `git check-ref-format`: what release tags are actually made of.
const TAG_REGEXP = /^[A-Za-z0-9_][A-Za-z0-9._+\-/]{0,254}$/;

/** Parses `github://owner/repo[@tag]`. */
export function parseGithubReference(text: string): GithubReference {
  const fail = (problem: string) => referenceError(text, problem, EXPECTED, { kind: 'github' });
  const rest = text.slice('github://'.length);
  const at = rest.indexOf('@');
  const path = at < 0 ? rest : rest.slice(0, at);
  const tag = at < 0 ? undefined : rest.slice(at + 1);
  const parts = path.split('/');
  const [owner, repo] = parts;
  if (parts.length !== 2 || owner === undefined || repo === undefined) {
    throw fail('needs exactly owner/repo');
  }
  if (!OWNER_REGEXP.test(owner)) {
    throw fail(
      `owner "${shorten(owner)}" is not 1 to 39 letters, digits and single hyphens (not at either end)`,
    );
  }
  if (!REPO_REGEXP.test(repo) || repo === '.' || repo === '..') {
    throw fail(`repository "${shorten(repo)}" is not 1 to 100 letters, digits, ".", "_" or "-"`);
  }
  if (repo.toLowerCase().endsWith('.git')) throw fail(`drop ".git" from "${shorten(repo)}"`);
  if (tag !== undefined) {
    if (tag === '') throw fail('nothing follows "@" (leave it out for the latest release)');
    if (
      hasControlCharacter(tag) ||
      !TAG_REGEXP.test(tag) ||
      tag.includes('..') ||
      tag.includes('//') ||
      tag.endsWith('/') ||
      tag.endsWith('.') ||
      tag.endsWith('.lock')
    ) {
      throw fail(
        `tag "${shorten(tag)}" is not a release tag (letters, digits, ".", "_", "+", "-", "/"; no "..")`,
      );
    }
  }
  return { kind: 'github', owner, repo, ...(tag === undefined ? {} : { tag }) };
}

/** Writes `github://owner/repo[@tag]`. */
export function formatGithubReference(ref: GithubReference): string {
  return `github://${ref.owner}/${ref.repo}${ref.tag === undefined ? '' : `@${ref.tag}`}`;
}
