import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { PlugboardError } from '@plugboard/core';
import {
  HASH_CHUNK_BYTES,
  inspectPackage,
  packFolder,
  sha256Digest,
  sha256File,
  signDigest,
  type ArtifactSignature,
} from '@plugboard/installer';
import { openClientContext } from '../client-config/open-installer.js';
import { ProgressBar } from '../client-config/progress-bar.js';
import { loadSigningKey } from '../client-config/signing-keys.js';
import { toJsonText } from '../client-config/text-table.js';
import { withLoginHint, writeRegistry } from '../client-config/write-registry.js';
import type { Command } from '../command.js';

const USAGE = `plugboard publish <dir|package.tgz> [--registry NAME] [--sign KEY]... [--config FILE] [--json]

  Publishes a plugin package (a gzip tar with manifest.{json,yml,yaml} at its root or in one top
  folder) or a plugin folder (packed with deterministic bytes) as a new immutable version. The
  package is checked locally first. --sign KEY signs the package's sha256 digest with an Ed25519
  key: a key id from "plugboard keys generate" or a path to a PEM file (repeatable).
  --registry picks the registry (default: the first by priority); it needs a publisher token
  ("plugboard login <registry>").`;

/** `plugboard publish`: uploads a plugin package (optionally signed) to a registry. */
export const publishCommand: Command = {
  name: 'publish',
  summary: 'publish a plugin package or folder to a registry (--sign KEY to sign it)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        registry: { type: 'string' },
        sign: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
      },
    });
    const [target, ...extra] = positionals;
    if (target === undefined || extra.length > 0)
      throw new PlugboardError('USAGE', 'publish needs one <dir|package.tgz>');
    const path = resolve(io.cwd, target);
    const info = await stat(path).catch((cause: unknown) => {
      throw new PlugboardError('NOT_FOUND', `${path}: no such file or folder`, { cause });
    });
    const packed = info.isDirectory() ? await packFolder(path) : undefined;
    const open = (): AsyncIterable<Uint8Array> =>
      packed === undefined
        ? createReadStream(path, { highWaterMark: HASH_CHUNK_BYTES })
        : Readable.from([packed]);
    const inspection = await inspectPackage(open());
    const digest = packed === undefined ? await sha256File(path) : sha256Digest(packed);
    const size = packed?.length ?? info.size;
    const context = await openClientContext(io, values.config);
    const signatures: ArtifactSignature[] = [];
    for (const reference of values.sign ?? []) {
      const key = await loadSigningKey(context.config.paths.configDir, io.cwd, reference);
      signatures.push(signDigest(digest, key.key, key.keyId));
    }
    const registry = writeRegistry(context, values.registry);
    const { manifest } = inspection.manifest;
    const subject = `${manifest.name}@${manifest.version ?? '?'}`;
    const bar = io.stderrIsTTY === true ? new ProgressBar(io.stderr) : undefined;
    let sent = 0;
    const counted = Readable.from(
      (async function* () {
        for await (const chunk of open()) {
          sent += chunk.length;
          bar?.update({ subject: `uploading ${subject}`, bytes: sent, total: size });
          yield chunk;
        }
      })(),
    );
    const body = Readable.toWeb(counted) as ReadableStream<Uint8Array>;
    const published = await withLoginHint(registry, () =>
      registry.client.publish(body, signatures.length === 0 ? {} : { signatures }),
    );
    for (const warning of published.warnings) io.stderr(`warning: ${warning}\n`);
    if (values.json) {
      io.stdout(toJsonText({ registry: registry.name, ...published }));
      return 0;
    }
    const signed =
      published.signatures.length === 0
        ? 'unsigned'
        : `signed by ${published.signatures.map((s) => s.key_id).join(', ')}`;
    io.stdout(
      `published ${published.name}@${published.version} to registry "${registry.name}" (${published.digest}, ${published.size} bytes, ${signed})\n`,
    );
    return 0;
  },
};
