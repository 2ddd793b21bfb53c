import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PlugboardError } from '@plugboard/core';

/** The file `plugboard login` writes tokens to, in the config folder (mode 0600). */
export const CREDENTIALS_FILE_NAME = 'credentials.json';

/** Saved tokens, by registry name. */
export type SavedCredentials = Readonly<Record<string, { readonly token: string }>>;

/** Reads saved tokens; none when the file does not exist. */
export async function readCredentials(configDir: string): Promise<SavedCredentials> {
  const path = join(configDir, CREDENTIALS_FILE_NAME);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as { registries?: Record<string, { token?: unknown }> };
    const saved: Record<string, { token: string }> = {};
    for (const [name, entry] of Object.entries(parsed.registries ?? {})) {
      if (typeof entry.token === 'string') saved[name] = { token: entry.token };
    }
    return saved;
  } catch (cause) {
    throw new PlugboardError(
      'CONFIG_INVALID',
      `${path} is not valid JSON; delete it and run "plugboard login <registry>" again`,
      { cause },
    );
  }
}

/** Saves a token for a registry (the file is created private: mode 0600, written atomically). */
export async function saveCredential(
  configDir: string,
  registry: string,
  token: string,
): Promise<string> {
  const path = join(configDir, CREDENTIALS_FILE_NAME);
  const current = await readCredentials(configDir);
  const next = { registries: { ...current, [registry]: { token } } };
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, path);
  return path;
}
