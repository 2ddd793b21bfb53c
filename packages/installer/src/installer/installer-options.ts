import type { PackageLimits } from '../package/package-limits.js';
import type { StepHook } from '../layout/install-journal.js';
import type { LockOwner } from '../layout/root-lock.js';
import type { TransferProgress } from '../digest/hashed-download.js';
import type { TrustPolicy } from '../signing/artifact-signatures.js';
import type { GsSourceOptions, S3SourceOptions } from '../sources/bucket-source.js';
import type { InstallerFetch } from '../sources/http-fetch.js';
import type { RegistryEndpoint } from '../sources/registry-source.js';

/** Largest package downloaded by default, in bytes (the package limits cap what it unpacks to). */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 1024 * 1024 * 1024;

/** Where the installer reports what it did that the caller did not ask about. */
export interface InstallerLogger {
  info(message: string): void;
  warn(message: string): void;
}

/** How an `Installer` reaches sources and where it installs. */
export interface InstallerOptions {
  /** `<root>/<name>/<version>/` folders go here. */
  readonly installRoot: string;
  /** Defaults to `<installRoot>/plugboard.lock`. */
  readonly lockFile?: string | undefined;
  /** When set, downloaded packages are kept here (`<cache>/<name>/<version>-<hex>.tgz`). */
  readonly cacheDir?: string | undefined;
  /** Configured registries (asked in priority order for `name@spec`). */
  readonly registries?: readonly RegistryEndpoint[] | undefined;
  readonly trust?: TrustPolicy | undefined;
  readonly limits?: Partial<PackageLimits> | undefined;
  readonly maxDownloadBytes?: number | undefined;
  /** For `https://`, `github://` and `oci://`; defaults to the global fetch. */
  readonly fetch?: InstallerFetch | undefined;
  /** Header and idle timeout of `https://`, `github://` and `oci://` requests. */
  readonly httpTimeoutMs?: number | undefined;
  /**
   * `github://`: the API root (default `https://api.github.com`) and a token, which defaults to
   * the `GITHUB_TOKEN` environment variable and is sent to that API root only.
   */
  readonly github?:
    { readonly apiUrl?: string | undefined; readonly token?: string | undefined } | undefined;
  readonly oci?:
    | {
        readonly plainHttpHosts?: readonly string[] | undefined;
        readonly credentials?:
          | Readonly<Record<string, { readonly username: string; readonly password: string }>>
          | undefined;
      }
    | undefined;
  /** `s3://`: endpoint (S3-compatible stores), region and credentials (SigV4); anonymous without. */
  readonly s3?: S3SourceOptions | undefined;
  /** `gs://`: endpoint and bearer token; anonymous without. */
  readonly gs?: GsSourceOptions | undefined;
  /** Folder that relative `./path` references resolve against; defaults to `process.cwd()`. */
  readonly cwd?: string | undefined;
  readonly lockTimeoutMs?: number | undefined;
  /**
   * Flush a staged install to disk (`syncfs`, see `flushToDisk`) before committing it, so a power
   * loss cannot leave empty files in place of the previous version (default true). Without it an
   * install is still atomic against a crash of the process, not of the machine.
   */
  readonly durable?: boolean | undefined;
  readonly onProgress?: ((progress: TransferProgress) => void) | undefined;
  /** Called when another process holds the install root's lock. */
  readonly onWaitForLock?: ((owner: LockOwner | undefined) => void) | undefined;
  readonly logger?: InstallerLogger | undefined;
  /** Called after each step of a change; tests use it to crash at a chosen point. */
  readonly stepHook?: StepHook | undefined;
}
