import { copyFile, mkdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PlugboardError } from '@plugboard/core';
import { digestHex } from '../digest/sha256-digest.js';
import { applyInstall } from '../layout/install-journal.js';
import type { InstallLayout } from '../layout/install-layout.js';
import {
  readLockFile,
  withEntry,
  writeLockFile,
  type LockEntry,
} from '../lock-file/plugboard-lock.js';
import type { ResolvedArtifact } from '../sources/resolved-artifact.js';
import type { InstallerOptions } from './installer-options.js';
import type { InstallOutcome } from './install-outcome.js';
import { listInstalledVersions, type InstalledVersion } from './installed-plugins.js';
import { lockEntryOf, type InstallExpectations, type PreparedInstall } from './prepare-install.js';

/** Where commits go: the layout, the lock file, and the installer's options. */
export interface CommitContext {
  readonly layout: InstallLayout;
  readonly lockFile: string;
  readonly options: InstallerOptions;
}

/** An install of the same name, version and digest already in place, as an `unchanged` outcome. */
export async function findInstalledTwin(
  layout: InstallLayout,
  artifact: ResolvedArtifact,
  expectations: InstallExpectations,
): Promise<{ outcome: InstallOutcome; entry: LockEntry } | undefined> {
  if (artifact.name === undefined || artifact.version === undefined) return undefined;
  const digests = [
    ...artifact.expectedDigests.map((expected) => expected.digest),
    expectations.sha256 === undefined ? undefined : `sha256:${expectations.sha256}`,
  ].filter((digest): digest is string => digest !== undefined);
  if (digests.length === 0) return undefined;
  const installed = (await listInstalledVersions(layout, artifact.name)).find(
    (version) => version.version === artifact.version,
  );
  const record = installed?.record;
  if (
    installed === undefined ||
    record === undefined ||
    !digests.every((digest) => digest === record.digest)
  ) {
    return undefined;
  }
  return {
    outcome: {
      name: record.name,
      version: record.version,
      status: 'unchanged',
      digest: record.digest,
      source: artifact.source,
      signingKeyId: record.signing_key_id,
      path: installed.path,
      warnings: artifact.warnings,
    },
    entry: {
      name: record.name,
      version: record.version,
      source: artifact.source,
      sha256: digestHex(record.digest),
      signing_key_id: record.signing_key_id,
      requested: expectations.requested,
    },
  };
}

/**
 * Moves a prepared install into place (journaled, see `applyInstall`), replacing the plugin's other
 * versions; the same version with the same digest is kept, with other content it is `CONFLICT`
 * unless `force`. Call with the root lock held.
 */
export async function commitPrepared(
  context: CommitContext,
  item: PreparedInstall,
  force: boolean,
  save: boolean,
): Promise<InstallOutcome> {
  const { record } = item;
  const versions = await listInstalledVersions(context.layout, record.name);
  const enabled = versions.length === 0 || versions.some((version) => version.enabled);
  const final = context.layout.versionDir(record.name, record.version, enabled);
  const same = versions.find((version) => version.path === final);
  if (same !== undefined && !force) {
    if (same.record?.digest === record.digest) return keepPrepared(context, item, save, versions);
    throw new PlugboardError(
      'CONFLICT',
      `${record.name}@${record.version} is already installed with other content (${same.record?.digest ?? 'no install record'}, now ${record.digest}); pass --force to replace it`,
      { details: { name: record.name, version: record.version } },
    );
  }
  const previous = versions.find((version) => version.version !== record.version)?.version;
  await applyInstall(
    context.layout,
    {
      op: 'install',
      id: record.install_id,
      staged: item.pluginDir,
      final,
      remove: versions.map((version) => version.path).filter((path) => path !== final),
      lockFile: save ? context.lockFile : undefined,
      lockEntry: save ? lockEntryOf(item) : undefined,
    },
    context.options.stepHook,
  );
  await cacheArchive(context.options, item);
  return {
    name: record.name,
    version: record.version,
    status: previous === undefined && same === undefined ? 'installed' : 'updated',
    previous,
    digest: record.digest,
    source: record.source,
    signingKeyId: record.signing_key_id,
    path: final,
    warnings: item.warnings,
  };
}

/** A prepared install whose twin is already in place: only the lock entry may need writing. */
export async function keepPrepared(
  context: CommitContext,
  item: PreparedInstall,
  save: boolean,
  known: readonly InstalledVersion[],
): Promise<InstallOutcome> {
  const { record } = item;
  if (save) await writeLockEntry(context.lockFile, lockEntryOf(item));
  const path =
    known.find((version) => version.version === record.version)?.path ??
    context.layout.versionDir(record.name, record.version, true);
  return {
    name: record.name,
    version: record.version,
    status: 'unchanged',
    digest: record.digest,
    source: record.source,
    signingKeyId: record.signing_key_id,
    path,
    warnings: item.warnings,
  };
}

/** Adds or replaces one lock entry, leaving the file untouched when it already says the same. */
export async function writeLockEntry(lockFile: string, entry: LockEntry): Promise<void> {
  const lock = await readLockFile(lockFile);
  const current = lock.plugins.find((candidate) => candidate.name === entry.name);
  if (current !== undefined && JSON.stringify(current) === JSON.stringify(entry)) return;
  await writeLockFile(lockFile, withEntry(lock, entry));
}

async function cacheArchive(options: InstallerOptions, item: PreparedInstall): Promise<void> {
  const { cacheDir } = options;
  const { archivePath, record } = item;
  if (cacheDir === undefined || archivePath === undefined) return;
  const target = join(
    cacheDir,
    record.name,
    `${record.version}-${digestHex(record.digest).slice(0, 16)}.tgz`,
  );
  try {
    await mkdir(dirname(target), { recursive: true });
    // The staged archive is deleted next anyway: moving it is free on the same file system.
    await rename(archivePath, target).catch(async (error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await copyFile(archivePath, target);
    });
  } catch (error) {
    options.logger?.warn(
      `could not keep ${record.name}@${record.version} in the cache: ${(error as Error).message}`,
    );
  }
}
