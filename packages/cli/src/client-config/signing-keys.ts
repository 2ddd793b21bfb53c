import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PlugboardError } from '@plugboard/core';
import { parsePrivateKey } from '@plugboard/installer';
import type { KeyObject } from 'node:crypto';

/** The folder `plugboard keys generate` writes to, below the config folder. */
export const KEYS_FOLDER = 'keys';

/** A key id as a file name: characters a file name cannot safely hold become `_`. */
export function keyFileBase(keyId: string): string {
  return keyId.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** Paths of a key pair in the keys folder. */
export function keyFiles(
  configDir: string,
  keyId: string,
): { privateKey: string; publicKey: string } {
  const base = join(configDir, KEYS_FOLDER, keyFileBase(keyId));
  return { privateKey: `${base}.key`, publicKey: `${base}.pub` };
}

/**
 * The private key `--sign KEY` names: a key id from the keys folder (its `.key` file holds a first
 * line `# key-id: <id>`), or a path to a PEM file (the id is then read from that line, else from
 * the file name).
 */
export async function loadSigningKey(
  configDir: string,
  cwd: string,
  reference: string,
): Promise<{ keyId: string; key: KeyObject; path: string }> {
  const byId = keyFiles(configDir, reference).privateKey;
  const candidates = [byId, resolve(cwd, reference)];
  for (const path of candidates) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      continue;
    }
    const declared = /^# key-id: (.+)$/m.exec(text)?.[1]?.trim();
    const keyId =
      declared ??
      (path === byId ? reference : reference.replace(/^.*\//, '').replace(/\.key$/, ''));
    return { keyId, key: parsePrivateKey(text, path), path };
  }
  throw new PlugboardError(
    'NOT_FOUND',
    `no signing key "${reference}": neither ${byId} nor ${resolve(cwd, reference)} exists; make one with "plugboard keys generate --id ${reference}"`,
  );
}
