/** File names a package manifest may have, in the order they are named in messages. */
export const MANIFEST_FILE_NAMES: readonly string[] = Object.freeze([
  'manifest.json',
  'manifest.yml',
  'manifest.yaml',
]);

/** A manifest file found in a package, with its text. */
export interface ManifestCandidate {
  readonly path: string;
  readonly text: string;
}

/**
 * Keeps the manifest files that may be THE manifest: at the package root, or one folder down
 * while the package has a single top folder. Nested candidates are dropped as soon as a second
 * top-level name appears, so memory stays bounded by a few manifests.
 */
export class ManifestCandidates {
  private readonly rootCandidates: ManifestCandidate[] = [];
  private nestedCandidates: ManifestCandidate[] = [];
  private readonly topNames = new Set<string>();

  /** Notes an entry's first path segment; call for every entry. */
  noteEntry(path: string): void {
    const top = path.split('/')[0] ?? path;
    this.topNames.add(top);
    if (this.topNames.size > 1) this.nestedCandidates = [];
  }

  /** True when a file at `path` could be the manifest (so its text is worth reading). */
  isCandidatePath(path: string): boolean {
    const segments = path.split('/');
    const last = segments[segments.length - 1] ?? '';
    if (!MANIFEST_FILE_NAMES.includes(last)) return false;
    return segments.length === 1 || (segments.length === 2 && this.topNames.size <= 1);
  }

  add(candidate: ManifestCandidate): void {
    if (candidate.path.includes('/')) {
      if (this.topNames.size <= 1) this.nestedCandidates.push(candidate);
    } else {
      this.rootCandidates.push(candidate);
    }
  }

  /**
   * The manifest and the package root it defines (`''` or the top folder's name), or a problem:
   * none, or several at the same level.
   */
  choose(): { manifest: ManifestCandidate; root: string } | { problem: string } {
    const pick = (found: readonly ManifestCandidate[], root: string) => {
      const [only, ...others] = found;
      if (only === undefined) return undefined;
      if (others.length > 0) {
        return {
          problem: `the package has several manifests: ${found.map((c) => c.path).join(', ')}; keep one`,
        };
      }
      return { manifest: only, root };
    };
    const atRoot = pick(this.rootCandidates, '');
    if (atRoot !== undefined) return atRoot;
    const [top] = this.topNames;
    if (this.topNames.size === 1 && top !== undefined) {
      const nested = pick(this.nestedCandidates, top);
      if (nested !== undefined) return nested;
    }
    return {
      problem: `the package has no ${MANIFEST_FILE_NAMES.join(', ')} at its root or in a single top folder`,
    };
  }
}
