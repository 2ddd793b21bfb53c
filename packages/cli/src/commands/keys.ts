import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { PlugboardError } from '@plugboard/core';
import { checkKeyId, generateSigningKey } from '@plugboard/installer';
import { resolveClientPaths } from '../client-config/config-paths.js';
import { KEYS_FOLDER, keyFiles } from '../client-config/signing-keys.js';
import { formatColumns, toJsonText } from '../client-config/text-table.js';
import type { Command } from '../command.js';

const USAGE = `plugboard keys generate [--id ID] [--force] [--json] [--config FILE]
plugboard keys list [--json]

  generate  makes an Ed25519 signing key pair in <config folder>/keys/ (<id>.key, mode 0600, and
            <id>.pub) and prints the public key with the trust: entry installers need.
            Without --id the id is "ed25519:" and 16 hex digits of the public key's hash.
  list      prints the key pairs in that folder.
  Sign a publish with "plugboard publish <dir> --sign <id>".`;

/** `plugboard keys generate|list`: Ed25519 signing keys for `publish --sign`. */
export const keysCommand: Command = {
  name: 'keys',
  summary: 'generate and list Ed25519 signing keys (publish --sign)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        id: { type: 'string' },
        force: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        config: { type: 'string' },
      },
    });
    const paths = resolveClientPaths(io.env, io.cwd, values.config);
    const [action] = positionals;
    if (action === 'generate') {
      if (values.id !== undefined) checkKeyId(values.id);
      const key = generateSigningKey(values.id);
      const files = keyFiles(paths.configDir, key.keyId);
      await mkdir(dirname(files.privateKey), { recursive: true, mode: 0o700 });
      const flag = values.force ? 'w' : 'wx';
      try {
        await writeFile(files.privateKey, `# key-id: ${key.keyId}\n${key.privateKeyPem}`, {
          mode: 0o600,
          flag,
        });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        throw new PlugboardError(
          'ALREADY_EXISTS',
          `a key "${key.keyId}" already exists at ${files.privateKey}; pick another --id, or pass --force to replace it (signatures made with it will no longer verify against the new key)`,
        );
      }
      await writeFile(files.publicKey, `${key.publicKey}\n`, { mode: 0o644, flag: 'w' });
      const result = {
        key_id: key.keyId,
        public_key: key.publicKey,
        private_key_file: files.privateKey,
        public_key_file: files.publicKey,
      };
      if (values.json) {
        io.stdout(toJsonText(result));
        return 0;
      }
      io.stdout(`generated Ed25519 key "${key.keyId}"
  private key: ${files.privateKey} (keep it secret)
  public key:  ${key.publicKey}

Installers trust it with this in their config.yaml:
trust:
  require_signatures: true
  keys:
    - id: ${JSON.stringify(key.keyId)}
      public_key: ${JSON.stringify(key.publicKey)}

Sign with: plugboard publish <dir|package> --sign ${key.keyId}
`);
      return 0;
    }
    if (action === 'list') {
      const folder = join(paths.configDir, KEYS_FOLDER);
      const names = await readdir(folder).catch(() => [] as string[]);
      const keys: { key_id: string; public_key: string; file: string }[] = [];
      for (const name of names.filter((n) => n.endsWith('.key')).sort()) {
        const text = await readFile(join(folder, name), 'utf8');
        const keyId = /^# key-id: (.+)$/m.exec(text)?.[1]?.trim() ?? name.slice(0, -4);
        const publicKey = await readFile(join(folder, `${name.slice(0, -4)}.pub`), 'utf8').catch(
          () => '?',
        );
        keys.push({ key_id: keyId, public_key: publicKey.trim(), file: join(folder, name) });
      }
      if (values.json) io.stdout(toJsonText({ keys }));
      else if (keys.length === 0)
        io.stdout(`no keys in ${folder}; make one with "plugboard keys generate"\n`);
      else
        io.stdout(
          formatColumns(
            ['KEY ID', 'PUBLIC KEY', 'FILE'],
            keys.map((k) => [k.key_id, k.public_key, k.file]),
          ),
        );
      return 0;
    }
    throw new PlugboardError('USAGE', `keys needs generate or list; got "${action ?? ''}"`);
  },
};
