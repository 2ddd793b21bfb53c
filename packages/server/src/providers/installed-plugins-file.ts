import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PlugboardError } from '@plugboard/core';

/** Name of the file listing which install folder serves each plugin key. */
export const INSTALLED_PLUGINS_FILE = 'installed.json';

/** One installed plugin as the file records it. */
export interface InstalledEntry {
  /** Folder name under `installs/`. */
  readonly install: string;
  readonly installed_at: string;
}

/** Plugin key (`vendor:provider_type`) → its current install. */
export type InstalledEntries = Readonly<Record<string, InstalledEntry>>;

/** Reads `<root>/installed.json`; empty when the file does not exist yet. */
export async function readInstalledEntries(root: string): Promise<InstalledEntries> {
  const path = join(root, INSTALLED_PLUGINS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new PlugboardError('UNAVAILABLE', `cannot read ${path}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new PlugboardError('PARSE_ERROR', `${path} is not valid JSON`, { cause });
  }
  const plugins = (parsed as { plugins?: unknown }).plugins;
  if (typeof plugins !== 'object' || plugins === null || Array.isArray(plugins)) {
    throw new PlugboardError('PARSE_ERROR', `${path}: "plugins" must be an object`);
  }
  const entries: Record<string, InstalledEntry> = {};
  for (const [key, value] of Object.entries(plugins as Record<string, unknown>)) {
    const entry = value as Partial<InstalledEntry> | null;
    if (typeof entry?.install === 'string' && /^[A-Za-z0-9._-]+$/.test(entry.install)) {
      entries[key] = { install: entry.install, installed_at: String(entry.installed_at ?? '') };
    }
  }
  return entries;
}

/** Replaces `<root>/installed.json` atomically (temp file, then rename). */
export async function writeInstalledEntries(
  root: string,
  entries: InstalledEntries,
): Promise<void> {
  const path = join(root, INSTALLED_PLUGINS_FILE);
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, `${JSON.stringify({ plugins: entries }, null, 2)}\n`);
  await rename(temp, path);
}
