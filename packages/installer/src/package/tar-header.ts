import { PlugboardError } from '@plugboard/core';

/** Size of a tar block (headers and padding), in bytes. */
export const TAR_BLOCK_BYTES = 512;

/** What a header's type flag says the entry is. */
export type TarEntryKind =
  | 'file'
  | 'hardlink'
  | 'symlink'
  | 'character-device'
  | 'block-device'
  | 'directory'
  | 'fifo'
  /** POSIX extended header (`x`): key=value records for the next entry. */
  | 'pax-header'
  /** POSIX global extended header (`g`). */
  | 'pax-global-header'
  /** GNU long name (`L`): the next entry's path. */
  | 'gnu-long-name'
  /** GNU long link (`K`): the next entry's link target. */
  | 'gnu-long-link'
  | 'unsupported';

/** One 512-byte tar header, decoded. */
export interface TarHeader {
  /** The path as written (ustar `prefix/name` joined); PAX or GNU records may replace it. */
  readonly name: string;
  readonly mode: number;
  readonly size: number;
  readonly kind: TarEntryKind;
  /** The raw type flag, for messages about unsupported entries. */
  readonly typeFlag: string;
  readonly linkName: string;
  readonly mtimeSeconds: number;
}

const KINDS: Readonly<Record<string, TarEntryKind>> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'character-device',
  '4': 'block-device',
  '5': 'directory',
  '6': 'fifo',
  x: 'pax-header',
  g: 'pax-global-header',
  L: 'gnu-long-name',
  K: 'gnu-long-link',
};

/** True when the block is all zeros: the end-of-archive marker (two of them, or one before EOF). */
export function isZeroBlock(block: Uint8Array): boolean {
  for (const byte of block) if (byte !== 0) return false;
  return true;
}

/**
 * Decodes a ustar / GNU / v7 header. Throws `PACKAGE_INVALID` when the checksum is wrong (the data
 * is not a tar archive, or it is corrupt) or a number field is malformed.
 */
export function parseTarHeader(block: Uint8Array, offset: number): TarHeader {
  if (block.length !== TAR_BLOCK_BYTES) {
    throw invalid(`the archive ends inside a header at byte ${offset}`);
  }
  const buffer = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
  const stored = readNumber(buffer, 148, 8, 'checksum', offset);
  if (!checksumMatches(buffer, stored)) {
    throw invalid(`bad header checksum at byte ${offset}: not a tar archive, or a corrupt one`);
  }
  const magic = buffer.toString('latin1', 257, 263);
  const isUstar = magic === 'ustar\0' && buffer.toString('latin1', 263, 265) === '00';
  let name = readString(buffer, 0, 100);
  if (isUstar) {
    const prefix = readString(buffer, 345, 155);
    if (prefix !== '') name = `${prefix}/${name}`;
  }
  const typeFlag = String.fromCharCode(buffer[156] ?? 0);
  return {
    name,
    mode: readNumber(buffer, 100, 8, 'mode', offset),
    size: readNumber(buffer, 124, 12, 'size', offset),
    kind: KINDS[typeFlag] ?? 'unsupported',
    typeFlag,
    linkName: readString(buffer, 157, 100),
    mtimeSeconds: readNumber(buffer, 136, 12, 'mtime', offset),
  };
}

function checksumMatches(buffer: Buffer, stored: number): boolean {
  let unsigned = 0;
  let signed = 0;
  for (let index = 0; index < TAR_BLOCK_BYTES; index += 1) {
    // The checksum field itself counts as eight spaces.
    const byte = index >= 148 && index < 156 ? 0x20 : (buffer[index] ?? 0);
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  // Some old tars summed signed bytes; both are accepted, as GNU tar does.
  return stored === unsigned || stored === signed;
}

function readString(buffer: Buffer, start: number, length: number): string {
  const end = buffer.indexOf(0, start);
  return buffer.toString('utf8', start, end < 0 || end > start + length ? start + length : end);
}

/** Octal ASCII (NUL/space terminated) or GNU base-256 (high bit of the first byte set). */
function readNumber(
  buffer: Buffer,
  start: number,
  length: number,
  field: string,
  offset: number,
): number {
  const first = buffer[start] ?? 0;
  if ((first & 0x80) !== 0) {
    if ((first & 0x40) !== 0) throw invalid(`negative ${field} in the header at byte ${offset}`);
    let value = first & 0x3f;
    for (let index = start + 1; index < start + length; index += 1) {
      value = value * 256 + (buffer[index] ?? 0);
      if (!Number.isSafeInteger(value)) throw invalid(`${field} too large at byte ${offset}`);
    }
    return value;
  }
  const text = buffer
    .toString('latin1', start, start + length)
    .replace(/[\0 ]+$/, '')
    .replace(/^ +/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) {
    throw invalid(`malformed ${field} "${text}" in the header at byte ${offset}`);
  }
  return Number.parseInt(text, 8);
}

function invalid(message: string): PlugboardError {
  return new PlugboardError('PACKAGE_INVALID', message);
}
