import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isValidVersion } from '@plugboard/core';
import type { InstallLayout } from '../layout/install-layout.js';
import { readInstallRecord, type InstallRecord } from '../layout/install-record.js';

/** One installed version folder. */
export interface InstalledVersion {
  readonly name: string;
  readonly version: string;
  readonly enabled: boolean;
  readonly path: string;
  /** The installer's record; undefined for folders put there by hand. */
  readonly record: InstallRecord | undefined;
}

/**
 * Every `<root>/<name>/<version>/` and `<root>/.disabled/<name>/<version>/` folder (version folders
 * named by a SemVer version), sorted by name then version folder name. Hidden folders are skipped.
 */
export async function listInstalledVersions(
  layout: InstallLayout,
  only?: string,
): Promise<InstalledVersion[]> {
  const found: InstalledVersion[] = [];
  for (const enabled of [true, false]) {
    const base = enabled ? layout.root : layout.disabledDir;
    const names = only === undefined ? await folders(base) : [only];
    for (const name of names) {
      if (name.startsWith('.')) continue;
      for (const version of await folders(join(base, name))) {
        if (!isValidVersion(version)) continue;
        const path = join(base, name, version);
        found.push({ name, version, enabled, path, record: await readInstallRecord(path) });
      }
    }
  }
  return found.sort((a, b) =>
    a.name === b.name ? a.version.localeCompare(b.version) : a.name < b.name ? -1 : 1,
  );
}

async function folders(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
}
