import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { importManifestText, isPlugboardError, type PluginManifest } from '@plugboard/core';
import { digestHex } from '../digest/sha256-digest.js';
import type { LockEntry } from '../lock-file/plugboard-lock.js';
import { MANIFEST_FILE_NAMES } from '../package/package-manifest.js';
import {
  NO_TRUST,
  verifyArtifactSignatures,
  type TrustPolicy,
} from '../signing/artifact-signatures.js';
import { treeDigest } from '../unpack/tree-digest.js';
import type { InstalledVersion } from './installed-plugins.js';

/** One check of `verifyInstalled`. */
export interface VerificationCheck {
  readonly check: 'record' | 'manifest' | 'files' | 'lock' | 'signature';
  readonly ok: boolean;
  /** What was found; for a failure, also what to do. */
  readonly message: string;
}

/** Everything `verifyInstalled` found about one installed version. */
export interface VerificationReport {
  readonly name: string;
  readonly version: string;
  readonly path: string;
  readonly enabled: boolean;
  readonly ok: boolean;
  readonly checks: readonly VerificationCheck[];
  /** The manifest, when it could be read. */
  readonly manifest: PluginManifest | undefined;
}

/**
 * Checks an installed version folder: it carries the installer's record; its manifest imports and
 * names this plugin and version; its files hash to the tree digest recorded at install time (no
 * file changed, added or removed); the package digest is the one the lock file pins; and its
 * signatures still satisfy the trust policy (and the signer is the one recorded).
 */
export async function verifyInstalled(
  installed: InstalledVersion,
  lockEntry: LockEntry | undefined,
  trust: TrustPolicy = NO_TRUST,
): Promise<VerificationReport> {
  const checks: VerificationCheck[] = [];
  const subject = `${installed.name}@${installed.version}`;
  const { record } = installed;
  const manifest = await readManifest(installed, checks);
  if (record === undefined) {
    checks.push({
      check: 'record',
      ok: false,
      message: `${installed.path} has no install record, so its digest cannot be checked; reinstall it with "plugboard install ${installed.name}@${installed.version} --force"`,
    });
  } else {
    checks.push({
      check: 'record',
      ok: true,
      message: `installed from ${record.source} at ${record.installed_at}`,
    });
    const tree = await treeDigest(installed.path);
    checks.push(
      tree === record.tree_digest
        ? {
            check: 'files',
            ok: true,
            message: `files match the installed package (${record.digest})`,
          }
        : {
            check: 'files',
            ok: false,
            message: `files differ from what was installed (tree ${tree}, recorded ${record.tree_digest}); something changed them — reinstall with "plugboard install ${subject} --force"`,
          },
    );
    if (lockEntry === undefined) {
      checks.push({
        check: 'lock',
        ok: true,
        message: 'not in the lock file (installed with --no-save)',
      });
    } else if (
      lockEntry.version !== installed.version ||
      lockEntry.sha256 !== digestHex(record.digest)
    ) {
      checks.push({
        check: 'lock',
        ok: false,
        message: `the lock file pins ${lockEntry.name}@${lockEntry.version} sha256:${lockEntry.sha256}, but ${subject} ${record.digest} is installed; run "plugboard install" to restore what the lock names`,
      });
    } else {
      checks.push({
        check: 'lock',
        ok: true,
        message: `matches the lock file (sha256:${lockEntry.sha256})`,
      });
    }
    checks.push(
      signatureCheck(subject, record.digest, record.signatures, record.signing_key_id, trust),
    );
  }
  return {
    name: installed.name,
    version: installed.version,
    path: installed.path,
    enabled: installed.enabled,
    ok: checks.every((check) => check.ok),
    checks,
    manifest,
  };
}

function signatureCheck(
  subject: string,
  digest: string,
  signatures: readonly { key_id: string; signature: string }[],
  recordedKey: string | null,
  trust: TrustPolicy,
): VerificationCheck {
  try {
    const verdict = verifyArtifactSignatures(subject, digest, signatures, trust);
    if (recordedKey !== null && verdict.keyId !== recordedKey) {
      return {
        check: 'signature',
        ok: false,
        message: `it was installed as signed by "${recordedKey}", but that key is no longer in trust.keys; add it back or reinstall`,
      };
    }
    return {
      check: 'signature',
      ok: true,
      message:
        verdict.keyId === undefined
          ? 'not signed by a trusted key (not required)'
          : `signed by trusted key "${verdict.keyId}"`,
    };
  } catch (error) {
    if (!isPlugboardError(error)) throw error;
    return { check: 'signature', ok: false, message: error.message };
  }
}

async function readManifest(
  installed: InstalledVersion,
  checks: VerificationCheck[],
): Promise<PluginManifest | undefined> {
  const names = await readdir(installed.path).catch(() => [] as string[]);
  const file = MANIFEST_FILE_NAMES.find((name) => names.includes(name));
  if (file === undefined) {
    checks.push({
      check: 'manifest',
      ok: false,
      message: `${installed.path} has no ${MANIFEST_FILE_NAMES.join(', ')}`,
    });
    return undefined;
  }
  try {
    const imported = importManifestText(await readFile(join(installed.path, file), 'utf8'), {
      source: join(installed.path, file),
    });
    const { name, version } = imported.manifest;
    if (name !== installed.name || (version !== undefined && version !== installed.version)) {
      checks.push({
        check: 'manifest',
        ok: false,
        message: `the manifest names ${name}@${version ?? '?'}, but it is installed as ${installed.name}@${installed.version}`,
      });
    } else {
      checks.push({ check: 'manifest', ok: true, message: `${file} is valid` });
    }
    return imported.manifest;
  } catch (error) {
    if (!isPlugboardError(error)) throw error;
    checks.push({ check: 'manifest', ok: false, message: error.message });
    return undefined;
  }
}
