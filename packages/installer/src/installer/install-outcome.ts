/** What happened to one plugin. */
export type InstallStatus = 'installed' | 'updated' | 'unchanged';

/** The outcome of installing or updating one plugin. */
export interface InstallOutcome {
  readonly name: string;
  readonly version: string;
  readonly status: InstallStatus;
  /** The version it replaced, if any. */
  readonly previous?: string | undefined;
  /** `sha256:<hex>` of the package. */
  readonly digest: string;
  readonly source: string;
  readonly signingKeyId: string | null;
  readonly path: string;
  readonly warnings: readonly string[];
}
