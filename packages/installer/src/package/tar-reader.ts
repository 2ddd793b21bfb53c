import { PlugboardError } from '@plugboard/core';
import { ByteReader } from './byte-reader.js';
import { DEFAULT_MAX_METADATA_BYTES } from './package-limits.js';
import { TAR_BLOCK_BYTES, isZeroBlock, parseTarHeader, type TarEntryKind } from './tar-header.js';

/** Body bytes handed out per chunk at most (as large as the decompressor's chunks). */
const BODY_CHUNK_BYTES = 1024 * 1024;

/** One entry of a tar archive with PAX and GNU long-name records applied. */
export interface TarEntry {
  /** The path as the archive gives it (not yet checked or normalised). */
  readonly path: string;
  /** Symlink or hardlink target as the archive gives it; empty for other kinds. */
  readonly linkTarget: string;
  readonly kind: Exclude<
    TarEntryKind,
    'pax-header' | 'pax-global-header' | 'gnu-long-name' | 'gnu-long-link'
  >;
  /** The raw type flag (for messages about unsupported entries). */
  readonly typeFlag: string;
  readonly mode: number;
  /** Body size in bytes (0 for links, directories and devices). */
  readonly size: number;
  /** Bytes the entry occupies after its header (a link may carry ignored data), for size caps. */
  readonly storedBytes: number;
  readonly mtimeSeconds: number;
  /** Offset of the entry's header in the uncompressed archive, for messages. */
  readonly offset: number;
  /**
   * The body, exactly `size` bytes, readable once and only before the next entry is requested;
   * what is not read is skipped.
   */
  readonly body: AsyncIterable<Buffer>;
}

/** Options of `readTarEntries`. */
export interface TarReaderOptions {
  /** Cap on PAX records and GNU long names per entry, in bytes. */
  readonly maxMetadataBytes?: number;
}

/**
 * Reads an uncompressed tar stream entry by entry (ustar, GNU and PAX), holding only headers and
 * bounded metadata in memory. Stops at the end-of-archive marker (or the end of the stream at an
 * entry boundary). Throws `PACKAGE_INVALID` for corrupt headers, oversized metadata and an archive
 * that ends inside an entry.
 */
export async function* readTarEntries(
  source: AsyncIterable<Uint8Array>,
  options: TarReaderOptions = {},
): AsyncGenerator<TarEntry, void, undefined> {
  const maxMetadataBytes = options.maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES;
  const reader = new ByteReader(source[Symbol.asyncIterator]());
  let pending: Record<string, string> = {};
  let globalPax: Record<string, string> = {};
  for (;;) {
    const offset = reader.position;
    const block = await reader.readExactly(TAR_BLOCK_BYTES);
    if (block.length === 0 || isZeroBlock(block)) {
      if (Object.keys(pending).length > 0) {
        throw invalid(`the archive ends after an extended header at byte ${offset}`);
      }
      return;
    }
    const header = parseTarHeader(block, offset);
    const padding = paddingOf(header.size);
    switch (header.kind) {
      case 'pax-header':
      case 'pax-global-header':
      case 'gnu-long-name':
      case 'gnu-long-link': {
        if (header.size > maxMetadataBytes) {
          throw invalid(
            `a ${header.kind} record at byte ${offset} is ${header.size} bytes; at most ${maxMetadataBytes} are accepted`,
          );
        }
        const data = await reader.readExactly(header.size);
        if (data.length < header.size || (await reader.skip(padding)) < padding) {
          throw invalid(`the archive ends inside a ${header.kind} record at byte ${offset}`);
        }
        if (header.kind === 'pax-header') pending = { ...pending, ...parsePax(data, offset) };
        else if (header.kind === 'pax-global-header')
          globalPax = { ...globalPax, ...parsePax(data, offset) };
        else pending[header.kind === 'gnu-long-name' ? 'path' : 'linkpath'] = cString(data);
        continue;
      }
      default:
        break;
    }
    const records = { ...globalPax, ...pending };
    pending = {};
    const size = records['size'] === undefined ? header.size : paxSize(records['size'], offset);
    // Only files carry a body; a size on a link or directory header is ignored, as tar does,
    // except that its bytes still occupy the archive.
    const bodySize = header.kind === 'file' ? size : 0;
    const occupied = header.kind === 'file' ? size : header.size;
    const state = { remaining: bodySize };
    const entry: TarEntry = {
      path: records['path'] ?? header.name,
      linkTarget: records['linkpath'] ?? header.linkName,
      kind: header.kind,
      typeFlag: header.typeFlag,
      mode: header.mode,
      size: bodySize,
      storedBytes: occupied,
      mtimeSeconds: header.mtimeSeconds,
      offset,
      body: readBody(reader, state, offset),
    };
    yield entry;
    const rest = state.remaining + (occupied - bodySize) + paddingOf(occupied);
    if ((await reader.skip(rest)) < rest) {
      throw invalid(`the archive ends inside the entry at byte ${offset} ("${entry.path}")`);
    }
  }
}

async function* readBody(
  reader: ByteReader,
  state: { remaining: number },
  offset: number,
): AsyncGenerator<Buffer, void, undefined> {
  while (state.remaining > 0) {
    const chunk = await reader.readSome(Math.min(BODY_CHUNK_BYTES, state.remaining));
    if (chunk === undefined) {
      throw invalid(`the archive ends inside the entry at byte ${offset}`);
    }
    state.remaining -= chunk.length;
    yield chunk;
  }
}

/** PAX records: `"<length> <key>=<value>\n"`, the length counting the whole record in bytes. */
function parsePax(data: Buffer, offset: number): Record<string, string> {
  const records: Record<string, string> = {};
  let position = 0;
  while (position < data.length) {
    const space = data.indexOf(0x20, position);
    const lengthText = space < 0 ? '' : data.toString('latin1', position, space);
    const length = /^\d{1,10}$/.test(lengthText) ? Number(lengthText) : Number.NaN;
    if (!(length > 0) || position + length > data.length || data[position + length - 1] !== 0x0a) {
      throw invalid(`malformed PAX extended header at byte ${offset}`);
    }
    const record = data.toString('utf8', space + 1, position + length - 1);
    const equals = record.indexOf('=');
    if (equals <= 0) throw invalid(`malformed PAX record at byte ${offset}`);
    records[record.slice(0, equals)] = record.slice(equals + 1);
    position += length;
  }
  return records;
}

function paxSize(text: string, offset: number): number {
  if (!/^\d{1,16}$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw invalid(`malformed PAX size "${text.slice(0, 40)}" at byte ${offset}`);
  }
  return Number(text);
}

function cString(data: Buffer): string {
  const end = data.indexOf(0);
  return data.toString('utf8', 0, end < 0 ? data.length : end);
}

function paddingOf(size: number): number {
  const over = size % TAR_BLOCK_BYTES;
  return over === 0 ? 0 : TAR_BLOCK_BYTES - over;
}

function invalid(message: string): PlugboardError {
  return new PlugboardError('PACKAGE_INVALID', message);
}
