import { gzipSync } from 'node:zlib';
import { TAR_BLOCK_BYTES } from './tar-header.js';

/** One entry to write: a file unless `type` says otherwise. */
export interface TarEntrySpec {
  /** Written as given (no checks): paths over 100 bytes go into a PAX `path` record. */
  readonly path: string;
  /** Tar type flag: `0` file (default), `1` hardlink, `2` symlink, `3`/`4` devices, `5` dir, `6` FIFO. */
  readonly type?: string | undefined;
  readonly content?: string | Uint8Array | undefined;
  readonly linkTarget?: string | undefined;
  /** Defaults to `0o644` for files and `0o755` for directories. */
  readonly mode?: number | undefined;
  readonly mtimeSeconds?: number | undefined;
}

/**
 * Writes a ustar archive (with PAX records for long paths and link targets) holding exactly the
 * entries given — unsafe ones too, since checking is the reader's job. For `plugboard pack` and for
 * tests that need hostile packages. Holds the archive in memory: meant for small packages.
 *
 * @example
 * const tgz = gzipTarArchive([{ path: 'manifest.json', content: '{"name":"x","version":"1.0.0"}' }]);
 */
export function tarArchive(entries: readonly TarEntrySpec[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const type = entry.type ?? '0';
    const body =
      entry.content === undefined
        ? Buffer.alloc(0)
        : typeof entry.content === 'string'
          ? Buffer.from(entry.content, 'utf8')
          : Buffer.from(entry.content);
    const records: string[] = [];
    if (Buffer.byteLength(entry.path) > 100) records.push(paxRecord('path', entry.path));
    if (entry.linkTarget !== undefined && Buffer.byteLength(entry.linkTarget) > 100) {
      records.push(paxRecord('linkpath', entry.linkTarget));
    }
    if (records.length > 0) {
      const pax = Buffer.from(records.join(''), 'utf8');
      blocks.push(header({ path: 'PaxHeader', type: 'x', size: pax.length, mode: 0o644 }));
      blocks.push(padded(pax));
    }
    blocks.push(
      header({
        path: entry.path,
        type,
        size: type === '0' || type === '7' ? body.length : 0,
        mode: entry.mode ?? (type === '5' ? 0o755 : 0o644),
        linkTarget: entry.linkTarget,
        mtimeSeconds: entry.mtimeSeconds,
      }),
    );
    if (type === '0' || type === '7') blocks.push(padded(body));
  }
  blocks.push(Buffer.alloc(TAR_BLOCK_BYTES * 2));
  return Buffer.concat(blocks);
}

/** `tarArchive` compressed with gzip: a plugin package. */
export function gzipTarArchive(entries: readonly TarEntrySpec[]): Buffer {
  return gzipSync(tarArchive(entries));
}

function header(fields: {
  path: string;
  type: string;
  size: number;
  mode: number;
  linkTarget?: string | undefined;
  mtimeSeconds?: number | undefined;
}): Buffer {
  const block = Buffer.alloc(TAR_BLOCK_BYTES);
  block.write(truncate(fields.path, 100), 0, 'utf8');
  block.write(octal(fields.mode, 8), 100, 'latin1');
  block.write(octal(0, 8), 108, 'latin1');
  block.write(octal(0, 8), 116, 'latin1');
  block.write(octal(fields.size, 12), 124, 'latin1');
  block.write(octal(fields.mtimeSeconds ?? 0, 12), 136, 'latin1');
  block.write(fields.type.slice(0, 1), 156, 'latin1');
  if (fields.linkTarget !== undefined) block.write(truncate(fields.linkTarget, 100), 157, 'utf8');
  block.write('ustar\0', 257, 'latin1');
  block.write('00', 263, 'latin1');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body);
  // The length counts its own digits.
  while (String(length).length + Buffer.byteLength(body) !== length) {
    length = String(length).length + Buffer.byteLength(body);
  }
  return `${length}${body}`;
}

function padded(data: Buffer): Buffer {
  const over = data.length % TAR_BLOCK_BYTES;
  return over === 0 ? data : Buffer.concat([data, Buffer.alloc(TAR_BLOCK_BYTES - over)]);
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function truncate(text: string, bytes: number): string {
  const buffer = Buffer.from(text, 'utf8');
  return buffer.length <= bytes ? text : buffer.subarray(0, bytes).toString('utf8');
}
