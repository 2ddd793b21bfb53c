import { inflateRawSync, crc32 } from 'node:zlib';
import { PlugboardError } from '@plugboard/core';
import { gzipTarArchive, type PackageLimits, type TarEntrySpec } from '@plugboard/installer';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
/** The end record is 22 bytes plus a comment of at most 65,535. */
const MAX_END_RECORD_SEARCH = 22 + 0xffff;
const UNIX_HOST = 3;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

/** Leading bytes of a zip archive (a local file header, or the end record of an empty one). */
export function isZip(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05);
}

/** Leading bytes of a gzip stream. */
export function isGzip(head: Uint8Array): boolean {
  return head[0] === 0x1f && head[1] === 0x8b;
}

function refuse(message: string): PlugboardError {
  return new PlugboardError('PACKAGE_INVALID', `zip archive: ${message}`);
}

/**
 * Rewrites a zip plugin package as a gzip tar, so the installer's tar checks (paths, links,
 * duplicates, caps) and unpacking apply to it unchanged. Stored and deflated entries only; ZIP64,
 * encrypted entries and CRC mismatches are refused; decompression stops at `maxUnpackedBytes`.
 */
export function zipToGzipTar(zip: Buffer, limits: PackageLimits): Buffer {
  const end = findEndRecord(zip);
  const count = zip.readUInt16LE(end + 10);
  const directorySize = zip.readUInt32LE(end + 12);
  const directoryOffset = zip.readUInt32LE(end + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff || directorySize === 0xffffffff) {
    throw refuse('ZIP64 archives are not supported; use a gzip tar');
  }
  if (count > limits.maxEntries) {
    throw refuse(`it has ${count} entries; at most ${limits.maxEntries} are accepted`);
  }
  const entries: TarEntrySpec[] = [];
  let unpacked = 0;
  let at = directoryOffset;
  for (let index = 0; index < count; index += 1) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL_DIRECTORY_HEADER) {
      throw refuse('its central directory is damaged');
    }
    const madeBy = zip.readUInt16LE(at + 4) >> 8;
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const external = zip.readUInt32LE(at + 38);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength + extraLength + commentLength;
    const shown = JSON.stringify(name.slice(0, 200));
    if ((flags & 1) !== 0) throw refuse(`entry ${shown} is encrypted`);
    const unixMode = madeBy === UNIX_HOST ? external >>> 16 : 0;
    const isDirectory = name.endsWith('/') || (unixMode & S_IFMT) === S_IFDIR;
    if (isDirectory) {
      entries.push({ path: name, type: '5', mode: 0o755 });
      continue;
    }
    unpacked += size;
    if (unpacked > limits.maxUnpackedBytes) {
      throw refuse(`it unpacks to more than ${limits.maxUnpackedBytes} bytes (at ${shown})`);
    }
    const content = entryContent(zip, localOffset, method, compressedSize, size, shown);
    if (crc32(content) !== crc) throw refuse(`entry ${shown} fails its CRC check`);
    if ((unixMode & S_IFMT) === S_IFLNK) {
      entries.push({ path: name, type: '2', linkTarget: content.toString('utf8') });
    } else {
      entries.push({ path: name, content, mode: unixMode === 0 ? 0o644 : unixMode & 0o7777 });
    }
  }
  return gzipTarArchive(entries);
}

function findEndRecord(zip: Buffer): number {
  const stop = Math.max(0, zip.length - MAX_END_RECORD_SEARCH);
  for (let at = zip.length - 22; at >= stop; at -= 1) {
    if (zip.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  throw refuse('no end of central directory record found');
}

function entryContent(
  zip: Buffer,
  localOffset: number,
  method: number,
  compressedSize: number,
  size: number,
  shown: string,
): Buffer {
  if (localOffset + 30 > zip.length || zip.readUInt32LE(localOffset) !== LOCAL_FILE_HEADER) {
    throw refuse(`entry ${shown} has no local header`);
  }
  const start =
    localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
  if (start + compressedSize > zip.length) throw refuse(`entry ${shown} is truncated`);
  const data = zip.subarray(start, start + compressedSize);
  if (method === 0) {
    if (compressedSize !== size) throw refuse(`stored entry ${shown} has inconsistent sizes`);
    return Buffer.from(data);
  }
  if (method !== 8) throw refuse(`entry ${shown} uses compression method ${method}`);
  let content: Buffer;
  try {
    // One byte over the declared size, so an entry that lies about its size is caught.
    content = inflateRawSync(data, { maxOutputLength: size + 1 });
  } catch (cause) {
    throw new PlugboardError('PACKAGE_INVALID', `zip archive: entry ${shown} cannot be inflated`, {
      cause,
    });
  }
  if (content.length !== size) throw refuse(`entry ${shown} is not the size it declares`);
  return content;
}
