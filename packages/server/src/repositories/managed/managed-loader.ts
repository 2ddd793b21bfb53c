import { readFile, stat } from 'node:fs/promises';
import { importManifestText, type ManifestFormat } from '@plugboard/core';
import type { PluginSummary, RepositoryRef, VersionView } from '../../catalog/plugin-view.js';
import { pluginInputFromManifest } from '../local/plugin-input-from-manifest.js';
import { metadataVersionView, toPluginSummary, type PluginFields } from '../local/plugin-views.js';
import { scanManagedFolders } from './managed-files.js';

/** One plugin served from a MANAGED file. */
export interface ManagedEntry {
  readonly path: string;
  readonly format: ManifestFormat;
  readonly fields: PluginFields;
  /** The manifest's own `version`, if it has one (no artifact); image plugins have none here. */
  readonly versions: readonly VersionView[];
  readonly summary: PluginSummary;
  /** What the importer had to say (defaults taken, fields kept in metadata). */
  readonly warnings: readonly string[];
}

/** Everything read from the MANAGED folders at one moment. */
export interface ManagedCatalog {
  /** The plugins served, by name; a name defined twice is served from the first path. */
  readonly byName: ReadonlyMap<string, ManagedEntry>;
  /** The last good entry of every manifest file, clash losers included. */
  readonly byPath: ReadonlyMap<string, ManagedEntry>;
  /** One line per file or folder that could not be served as it is now, naming the path. */
  readonly problems: readonly string[];
  /** Folders visited, to watch. */
  readonly directories: readonly string[];
}

/** An empty catalog, before the first load. */
export const EMPTY_MANAGED_CATALOG: ManagedCatalog = Object.freeze({
  byName: new Map(),
  byPath: new Map(),
  problems: [],
  directories: [],
});

/**
 * Reads every manifest in `folders` (any importer format). A file that cannot be read or imported
 * is a problem; when `previous` served it, its last good entry is kept (an editor's half-written
 * save must not make a plugin vanish), otherwise it contributes nothing. A deleted file's plugin
 * goes. When two files define one name, the first in path order wins and the other is a problem.
 */
export async function loadManagedCatalog(
  folders: readonly string[],
  previous: ManagedCatalog,
  repository: RepositoryRef,
): Promise<ManagedCatalog> {
  const scan = await scanManagedFolders(folders);
  const problems = scan.problems.map((problem) => `${problem.path}: ${problem.message}`);
  const byPath = new Map<string, ManagedEntry>();
  const byName = new Map<string, ManagedEntry>();
  for (const path of scan.files) {
    let entry: ManagedEntry | undefined;
    try {
      entry = await readManagedFile(path, repository);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const text = message.startsWith(path) ? message : `${path}: ${message}`;
      entry = previous.byPath.get(path);
      problems.push(
        entry === undefined
          ? text
          : `${text} (serving its last good version of plugin "${entry.summary.name}")`,
      );
    }
    if (entry === undefined) continue;
    byPath.set(path, entry);
    const winner = byName.get(entry.summary.name);
    if (winner === undefined) {
      byName.set(entry.summary.name, entry);
    } else {
      problems.push(
        `${path}: plugin "${entry.summary.name}" is already defined by ${winner.path}; this file is ignored`,
      );
    }
  }
  return { byName, byPath, problems, directories: scan.directories };
}

async function readManagedFile(path: string, repository: RepositoryRef): Promise<ManagedEntry> {
  const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
  const imported = importManifestText(text, { source: path });
  const input = pluginInputFromManifest(imported.manifest);
  const updatedAt = info.mtime.toISOString();
  const createdAt = info.birthtimeMs > 0 ? info.birthtime.toISOString() : updatedAt;
  const fields: PluginFields = {
    name: input.name,
    displayName: input.displayName,
    description: input.description,
    type: input.type,
    providers: input.providers ?? [],
    labels: input.labels ?? [],
    capabilities: input.capabilities ?? [],
    tags: input.tags ?? {},
    icon: input.icon,
    manifest: input.manifest,
    // MANAGED plugins are read-only and always offered.
    enabled: true,
    image: input.image,
    createdAt,
    updatedAt,
  };
  const version = imported.manifest.version;
  const versions = version === undefined ? [] : [metadataVersionView(version, updatedAt)];
  return {
    path,
    format: imported.format,
    fields,
    versions,
    summary: toPluginSummary({ record: fields, versions, distTags: {} }, repository),
    warnings: imported.warnings,
  };
}
