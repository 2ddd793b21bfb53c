import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  PlugboardError,
  formatPluginReference,
  parsePluginReference,
  type RegistryReference,
} from '@plugboard/core';
import { digestHex } from '../digest/sha256-digest.js';
import { applyRemove, recoverInterrupted } from '../layout/install-journal.js';
import { InstallLayout } from '../layout/install-layout.js';
import { acquireRootLock } from '../layout/root-lock.js';
import {
  LOCK_FILE_NAME,
  readLockFile,
  type LockEntry,
  type LockFile,
} from '../lock-file/plugboard-lock.js';
import { resolveReference } from '../sources/resolve-reference.js';
import type { ResolvedArtifact } from '../sources/resolved-artifact.js';
import {
  commitPrepared,
  findInstalledTwin,
  keepPrepared,
  writeLockEntry,
  type CommitContext,
} from './commit-install.js';
import type { InstallOutcome } from './install-outcome.js';
import type { InstallerOptions } from './installer-options.js';
import { listInstalledVersions, type InstalledVersion } from './installed-plugins.js';
import {
  prepareInstall,
  type InstallExpectations,
  type PreparedInstall,
} from './prepare-install.js';
import { verifyInstalled, type VerificationReport } from './verify-installed.js';

/** Options of `install`. */
export interface InstallOptions {
  /** Reinstall even when the same version is installed (and replace different content of it). */
  readonly force?: boolean | undefined;
  /** Record the installs in the lock file (default true). */
  readonly save?: boolean | undefined;
}

/** The outcome of `remove`. */
export interface RemoveOutcome {
  readonly name: string;
  readonly removed: readonly string[];
  readonly lockUpdated: boolean;
  readonly cacheCleaned: boolean;
}

/** An installed plugin as `list` shows it. */
export interface InstalledPlugin extends InstalledVersion {
  /** The lock entry when the lock file names this plugin at this version. */
  readonly locked: LockEntry | undefined;
}

/**
 * Installs plugins into `<root>/<name>/<version>/` and keeps `plugboard.lock`. Downloads, checks
 * and unpacking happen in a private staging folder without any lock held, so installs run side by
 * side; only moving the result into place takes the install root's file lock, and that move is
 * journaled so a crash at any point leaves the previous state working (see `applyInstall`).
 * One version of a plugin is installed at a time: installing another replaces it.
 *
 * @example
 * const installer = new Installer({ installRoot, registries: [{ name: 'local', priority: 1, client }] });
 * const [outcome] = await installer.install(['echo@^1.2']);
 */
export class Installer {
  readonly layout: InstallLayout;
  readonly lockFile: string;
  readonly #options: InstallerOptions;

  constructor(options: InstallerOptions) {
    this.#options = options;
    this.layout = new InstallLayout(options.installRoot);
    this.lockFile = options.lockFile ?? join(options.installRoot, LOCK_FILE_NAME);
  }

  /** Finds what a reference points at, without downloading the package. */
  async resolve(reference: string): Promise<ResolvedArtifact> {
    return resolveReference(reference, this.#options);
  }

  /** The lock file (empty when there is none). */
  async readLock(): Promise<LockFile> {
    return readLockFile(this.lockFile);
  }

  /**
   * Installs each reference: all are downloaded and verified first (nothing is installed when one
   * fails), then moved into place. An installed version with the same digest is left as it is.
   */
  async install(
    references: readonly string[],
    options: InstallOptions = {},
  ): Promise<InstallOutcome[]> {
    const jobs = references.map((reference) => ({
      reference,
      expectations: { requested: reference },
    }));
    return this.#run(jobs, options.force ?? false, options.save ?? true);
  }

  /**
   * Installs exactly what the lock file names, refusing any package whose digest (or signer)
   * differs from the lock's. Throws `NOT_FOUND` when there is no lock file entry at all.
   */
  async installFromLock(): Promise<InstallOutcome[]> {
    const lock = await this.readLock();
    if (lock.plugins.length === 0) {
      throw new PlugboardError(
        'NOT_FOUND',
        `${this.lockFile} names no plugins; install some with "plugboard install <name>" first`,
      );
    }
    const jobs = lock.plugins.map((entry) => ({
      reference: entry.source,
      expectations: {
        requested: entry.requested,
        sha256: entry.sha256,
        signingKeyId: entry.signing_key_id,
      },
    }));
    return this.#run(jobs, false, true);
  }

  /**
   * Updates installed plugins (all in the lock file, or the one named) to what their requested
   * reference resolves to now; `spec` replaces the version spec of a registry plugin
   * (`update echo@^2`). A plugin already at that version is reported `unchanged`.
   */
  async update(name?: string, spec?: string): Promise<InstallOutcome[]> {
    const lock = await this.readLock();
    const entries =
      name === undefined ? lock.plugins : lock.plugins.filter((entry) => entry.name === name);
    if (name !== undefined && entries.length === 0) {
      throw new PlugboardError(
        'PLUGIN_NOT_FOUND',
        `"${name}" is not in ${this.lockFile}; install it with "plugboard install ${name}"`,
        { details: { name } },
      );
    }
    const outcomes: InstallOutcome[] = [];
    const jobs: { reference: string; expectations: InstallExpectations; current: LockEntry }[] = [];
    for (const entry of entries) {
      const requested = withSpec(entry, spec);
      const artifact = await this.resolve(requested);
      if (
        artifact.version !== undefined &&
        artifact.version === entry.version &&
        requested === entry.requested
      ) {
        outcomes.push(unchangedOutcome(entry, this.layout, artifact.warnings));
        continue;
      }
      jobs.push({ reference: requested, expectations: { requested }, current: entry });
    }
    const done = await this.#run(jobs, true, true, (prepared) => {
      const current = jobs.find((job) => job.current.name === prepared.record.name)?.current;
      return (
        current !== undefined &&
        current.sha256 === digestHex(prepared.record.digest) &&
        current.version === prepared.record.version
      );
    });
    return [...outcomes, ...done];
  }

  /**
   * Removes a plugin (every installed version, or the one named) and its lock entry; `clean` also
   * deletes its cached packages. Throws `PLUGIN_NOT_FOUND` when nothing matches.
   */
  async remove(
    name: string,
    version?: string,
    options: { clean?: boolean } = {},
  ): Promise<RemoveOutcome> {
    return this.#locked(async () => {
      const installed = (await listInstalledVersions(this.layout, name)).filter(
        (candidate) => version === undefined || candidate.version === version,
      );
      const lock = await this.readLock();
      const entry = lock.plugins.find((candidate) => candidate.name === name);
      const dropEntry = entry !== undefined && (version === undefined || entry.version === version);
      if (installed.length === 0 && !dropEntry) {
        const others = (await listInstalledVersions(this.layout, name)).map((v) => v.version);
        throw new PlugboardError(
          'PLUGIN_NOT_FOUND',
          others.length === 0
            ? `"${name}" is not installed in ${this.layout.root}; "plugboard list" shows what is`
            : `${name}@${version ?? ''} is not installed (installed: ${others.join(', ')})`,
          { details: { name, ...(version === undefined ? {} : { version }) } },
        );
      }
      await applyRemove(
        this.layout,
        {
          op: 'remove',
          id: randomUUID(),
          dirs: installed.map((candidate) => candidate.path),
          lockFile: dropEntry ? this.lockFile : undefined,
          lockName: dropEntry ? name : undefined,
        },
        this.#options.stepHook,
      );
      let cacheCleaned = false;
      if (options.clean === true && this.#options.cacheDir !== undefined) {
        await rm(join(this.#options.cacheDir, name), { recursive: true, force: true });
        cacheCleaned = true;
      }
      return {
        name,
        removed: installed.map((candidate) => candidate.version),
        lockUpdated: dropEntry,
        cacheCleaned,
      };
    });
  }

  /** Installed plugins with their lock entries, sorted by name. */
  async list(): Promise<InstalledPlugin[]> {
    const lock = await this.readLock();
    const installed = await listInstalledVersions(this.layout);
    return installed.map((version) => ({
      ...version,
      locked: lock.plugins.find(
        (entry) => entry.name === version.name && entry.version === version.version,
      ),
    }));
  }

  /**
   * Enables or disables an installed plugin by moving `<root>/<name>` to or from
   * `<root>/.disabled/<name>` (one atomic rename; the plugin host does not load hidden folders).
   * Returns false when it already was in that state.
   */
  async setEnabled(name: string, enabled: boolean): Promise<boolean> {
    return this.#locked(async () => {
      const from = this.layout.pluginDir(name, !enabled);
      const to = this.layout.pluginDir(name, enabled);
      const installed = await listInstalledVersions(this.layout, name);
      if (installed.length === 0) {
        throw new PlugboardError(
          'PLUGIN_NOT_FOUND',
          `"${name}" is not installed; "plugboard list" shows what is`,
          {
            details: { name },
          },
        );
      }
      if (installed.every((version) => version.enabled === enabled)) return false;
      if (installed.some((version) => version.enabled === enabled)) {
        throw new PlugboardError(
          'CONFLICT',
          `"${name}" has versions in both ${to} and ${from}; remove one with "plugboard remove ${name}@<version>"`,
        );
      }
      await mkdir(dirname(to), { recursive: true });
      await rename(from, to);
      return true;
    });
  }

  /** Repairs what an interrupted install or removal left (also done before every change). */
  async recover(): Promise<void> {
    await this.#locked(async () => undefined);
  }

  /** Checks an installed plugin: files against the install record, digest against the lock, signatures. */
  async verify(name: string): Promise<VerificationReport[]> {
    const installed = await listInstalledVersions(this.layout, name);
    if (installed.length === 0) {
      throw new PlugboardError(
        'PLUGIN_NOT_FOUND',
        `"${name}" is not installed in ${this.layout.root}`,
        {
          details: { name },
        },
      );
    }
    const lock = await this.readLock();
    const reports: VerificationReport[] = [];
    for (const version of installed) {
      reports.push(
        await verifyInstalled(
          version,
          lock.plugins.find((entry) => entry.name === name),
          this.#options.trust,
        ),
      );
    }
    return reports;
  }

  /** Resolves, prepares (in parallel-safe staging) and commits jobs under the root lock. */
  async #run(
    jobs: readonly { reference: string; expectations: InstallExpectations }[],
    force: boolean,
    save: boolean,
    isSameAsBefore?: (prepared: PreparedInstall) => boolean,
  ): Promise<InstallOutcome[]> {
    const prepared: PreparedInstall[] = [];
    const outcomes: InstallOutcome[] = [];
    const unchangedEntries: LockEntry[] = [];
    try {
      for (const job of jobs) {
        const artifact = await this.resolve(job.reference);
        // A relative path means nothing from another folder: the lock keeps the absolute file URL.
        const expectations =
          parsePluginReference(job.reference).kind === 'file'
            ? { ...job.expectations, requested: artifact.source }
            : job.expectations;
        const existing = force
          ? undefined
          : await findInstalledTwin(this.layout, artifact, expectations);
        if (existing !== undefined) {
          outcomes.push(existing.outcome);
          unchangedEntries.push(existing.entry);
          continue;
        }
        prepared.push(await prepareInstall(this.layout, artifact, expectations, this.#options));
      }
      const committed = await this.#locked(async () => {
        const results: InstallOutcome[] = [];
        for (const item of prepared) {
          if (isSameAsBefore?.(item) === true) {
            results.push(await keepPrepared(this.#context, item, save, []));
            continue;
          }
          results.push(await commitPrepared(this.#context, item, force, save));
        }
        if (save) for (const entry of unchangedEntries) await writeLockEntry(this.lockFile, entry);
        return results;
      });
      return [...outcomes, ...committed];
    } finally {
      for (const item of prepared) await rm(item.stagingDir, { recursive: true, force: true });
    }
  }

  get #context(): CommitContext {
    return { layout: this.layout, lockFile: this.lockFile, options: this.#options };
  }

  async #locked<T>(action: () => Promise<T>): Promise<T> {
    const lock = await acquireRootLock(this.layout.lockPath, {
      timeoutMs: this.#options.lockTimeoutMs,
      onWait: this.#options.onWaitForLock,
    });
    try {
      for (const note of await recoverInterrupted(this.layout)) this.#options.logger?.info(note);
      return await action();
    } finally {
      await lock.release();
    }
  }
}

function unchangedOutcome(
  entry: LockEntry,
  layout: InstallLayout,
  warnings: readonly string[],
): InstallOutcome {
  return {
    name: entry.name,
    version: entry.version,
    status: 'unchanged',
    digest: `sha256:${entry.sha256}`,
    source: entry.source,
    signingKeyId: entry.signing_key_id,
    path: layout.versionDir(entry.name, entry.version, true),
    warnings,
  };
}

/** The entry's requested reference, with `spec` in place of its version spec (registry refs only). */
function withSpec(entry: LockEntry, spec: string | undefined): string {
  if (spec === undefined) return entry.requested;
  const parsed = parsePluginReference(entry.requested);
  if (parsed.kind !== 'registry') {
    throw new PlugboardError(
      'INVALID_ARGUMENT',
      `"${entry.name}" was installed from ${entry.requested}, which takes no version spec; run "plugboard install <new reference>" instead`,
    );
  }
  const next: RegistryReference = { ...parsed, spec };
  return formatPluginReference(next);
}

export type { InstallOutcome, InstallStatus } from './install-outcome.js';
