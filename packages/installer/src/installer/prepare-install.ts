import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PlugboardError } from '@plugboard/core';
import { checkDigest, digestHex } from '../digest/sha256-digest.js';
import { flushToDisk } from '../layout/flush-to-disk.js';
import type { InstallLayout } from '../layout/install-layout.js';
import { writeInstallRecord, type InstallRecord } from '../layout/install-record.js';
import { DEFAULT_PACKAGE_LIMITS } from '../package/package-limits.js';
import { NO_TRUST, verifyArtifactSignatures } from '../signing/artifact-signatures.js';
import type { ResolvedArtifact } from '../sources/resolved-artifact.js';
import { saveAndUnpack } from '../unpack/save-and-unpack.js';
import { DEFAULT_MAX_DOWNLOAD_BYTES, type InstallerOptions } from './installer-options.js';

/** What the lock file (or the caller) demands of the artifact. */
export interface InstallExpectations {
  /** 64 hex digits the package must hash to (from the lock file). */
  readonly sha256?: string | undefined;
  /** The key the lock file says signed it: a different or missing signer is refused. */
  readonly signingKeyId?: string | null | undefined;
  /** Recorded as what was asked for (defaults to the reference's text). */
  readonly requested: string;
}

/** A package downloaded, verified and unpacked in staging, ready to be moved into place. */
export interface PreparedInstall {
  readonly id: string;
  readonly stagingDir: string;
  /** The downloaded package, kept only when there is a cache to move it into. */
  readonly archivePath: string | undefined;
  /** The unpacked plugin folder inside staging (holds the install record). */
  readonly pluginDir: string;
  readonly record: InstallRecord;
  readonly warnings: readonly string[];
}

/**
 * Downloads an artifact into a fresh staging folder while hashing it, checks the digest against
 * every announced one (source, download headers, lock file), checks signatures against the trust
 * policy, unpacks it safely and checks the manifest's name and version against what the source
 * promised, then flushes the staged files to disk. Nothing outside
 * `<root>/.plugboard/staging/<pid>-<id>/` is touched; on any failure that folder is removed and
 * the error thrown.
 */
export async function prepareInstall(
  layout: InstallLayout,
  artifact: ResolvedArtifact,
  expectations: InstallExpectations,
  options: InstallerOptions,
): Promise<PreparedInstall> {
  const id = randomUUID();
  const stagingDir = join(layout.stagingDir, `${process.pid}-${id}`);
  await mkdir(stagingDir, { recursive: true });
  try {
    const archivePath =
      options.cacheDir === undefined ? undefined : join(stagingDir, 'package.tgz');
    const opened = await artifact.open();
    const { saved, unpacked, unpackError } = await saveAndUnpack(
      opened.body,
      archivePath,
      join(stagingDir, 'content'),
      { ...DEFAULT_PACKAGE_LIMITS, ...options.limits },
      {
        subject: artifact.subject,
        maxBytes: options.maxDownloadBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES,
        expectedSize: opened.size,
        onProgress: options.onProgress,
      },
    );
    checkDigest(artifact.subject, saved.digest, [
      ...artifact.expectedDigests,
      ...(opened.digest === undefined ? [] : [opened.digest]),
      {
        digest: expectations.sha256 === undefined ? undefined : `sha256:${expectations.sha256}`,
        from: 'the lock file',
      },
    ]);
    if (unpacked === undefined) throw unpackError;
    const verdict = verifyArtifactSignatures(
      artifact.subject,
      saved.digest,
      artifact.signatures,
      options.trust ?? NO_TRUST,
    );
    if (
      expectations.signingKeyId !== undefined &&
      expectations.signingKeyId !== null &&
      verdict.keyId !== expectations.signingKeyId
    ) {
      throw new PlugboardError(
        'SIGNATURE_INVALID',
        `${artifact.subject}: the lock file says key "${expectations.signingKeyId}" signed it, but ${verdict.keyId === undefined ? 'no trusted signature verifies now' : `the signature that verifies is by "${verdict.keyId}"`}; add that key to trust.keys, or run "plugboard update" to accept the change`,
        { details: { expected: expectations.signingKeyId, actual: verdict.keyId ?? null } },
      );
    }
    if (
      (artifact.name !== undefined && artifact.name !== unpacked.name) ||
      (artifact.version !== undefined && artifact.version !== unpacked.version)
    ) {
      throw new PlugboardError(
        'CONFLICT',
        `${artifact.subject}: the package's manifest says ${unpacked.name}@${unpacked.version}, not ${artifact.name ?? unpacked.name}@${artifact.version ?? unpacked.version}; the source serves the wrong package — tell its publisher`,
        { details: { manifest: `${unpacked.name}@${unpacked.version}` } },
      );
    }
    const record: InstallRecord = {
      name: unpacked.name,
      version: unpacked.version,
      source: artifact.source,
      requested: expectations.requested,
      digest: saved.digest,
      tree_digest: unpacked.treeDigest,
      signing_key_id: verdict.keyId ?? null,
      signatures: artifact.signatures,
      installed_at: new Date().toISOString(),
      install_id: id,
    };
    await writeInstallRecord(unpacked.pluginDir, record);
    // Durable before the commit makes it the installed version (no root lock is held yet).
    if (options.durable !== false) await flushToDisk(stagingDir);
    return {
      id,
      stagingDir,
      archivePath,
      pluginDir: unpacked.pluginDir,
      record,
      warnings: [
        ...artifact.warnings,
        ...verdict.warnings,
        ...unpacked.manifest.warnings.map((w) => `${unpacked.name}: ${w}`),
      ],
    };
  } catch (error) {
    await rm(stagingDir, { recursive: true, force: true });
    throw error;
  }
}

/** The lock entry for a prepared install. */
export function lockEntryOf(prepared: PreparedInstall) {
  const { record } = prepared;
  return {
    name: record.name,
    version: record.version,
    source: record.source,
    sha256: digestHex(record.digest),
    signing_key_id: record.signing_key_id,
    requested: record.requested,
  };
}
