import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactSignature } from '../signing/artifact-signatures.js';
import { INSTALL_RECORD_FILE } from '../unpack/tree-digest.js';

/** What the installer writes into each version folder (`.plugboard-install.json`). */
export interface InstallRecord {
  readonly name: string;
  readonly version: string;
  readonly source: string;
  readonly requested: string;
  /** `sha256:<hex>` of the package. */
  readonly digest: string;
  /** `sha256:<hex>` of the unpacked folder (see `treeDigest`). */
  readonly tree_digest: string;
  readonly signing_key_id: string | null;
  readonly signatures: readonly ArtifactSignature[];
  readonly installed_at: string;
  /** The install that wrote it: crash recovery tells its own folders from older ones. */
  readonly install_id: string;
}

/** Writes the record into a (staged) version folder. */
export async function writeInstallRecord(dir: string, record: InstallRecord): Promise<void> {
  await writeFile(join(dir, INSTALL_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`, {
    mode: 0o644,
  });
}

/** Reads a version folder's record; undefined when it has none or it is unreadable. */
export async function readInstallRecord(dir: string): Promise<InstallRecord | undefined> {
  try {
    const parsed = JSON.parse(
      await readFile(join(dir, INSTALL_RECORD_FILE), 'utf8'),
    ) as Partial<InstallRecord>;
    if (
      typeof parsed.name !== 'string' ||
      typeof parsed.version !== 'string' ||
      typeof parsed.digest !== 'string'
    ) {
      return undefined;
    }
    return {
      signatures: [],
      signing_key_id: null,
      source: '',
      requested: '',
      tree_digest: '',
      installed_at: '',
      install_id: '',
      ...parsed,
    } as InstallRecord;
  } catch {
    return undefined;
  }
}
