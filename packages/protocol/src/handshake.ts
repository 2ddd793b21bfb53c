import { formatAddress, parseAddress, type PluginAddress } from './address.js';
import { MAX_HANDSHAKE_LINE_LENGTH } from './defaults.js';
import {
  isJsonObject,
  jsonTypeName,
  parseJsonText,
  previewText,
  ProblemList,
} from './json-shape.js';
import { ProtocolError, protocolProblemsError } from './protocol-error.js';
import { PROTOCOL_VERSION, protocolMismatch, type ProtocolVersion } from './version.js';

/** The line a serving plugin prints on stdout once it listens. */
export interface Handshake {
  readonly protocol: ProtocolVersion;
  /** `unix:///abs/path.sock` or `tcp://127.0.0.1:PORT`, as printed. */
  readonly address: string;
  /** The same address, parsed. */
  readonly parsedAddress: PluginAddress;
  /** The plugin's process id, when it told it. */
  readonly pid?: number;
}

/**
 * Parses the handshake line. It must be a JSON object with `protocol: "plugboard/1"` and a valid
 * `address`; unknown fields are ignored. Anything else (including text printed before the
 * handshake) throws `PLUGIN_PROTOCOL_ERROR`.
 *
 * @example
 * parseHandshakeLine('{"protocol":"plugboard/1","address":"tcp://127.0.0.1:4000","pid":7}').parsedAddress.port; // 4000
 */
export function parseHandshakeLine(line: string): Handshake {
  if (line.length > MAX_HANDSHAKE_LINE_LENGTH) {
    throw new ProtocolError(
      'PLUGIN_PROTOCOL_ERROR',
      `handshake line is ${line.length} characters; at most ${MAX_HANDSHAKE_LINE_LENGTH} are allowed`,
      {
        problems: [{ path: '', message: 'is too long' }],
      },
    );
  }
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) {
    throw new ProtocolError(
      'PLUGIN_PROTOCOL_ERROR',
      `expected the handshake JSON object, got "${previewText(trimmed)}"`,
      {
        problems: [{ path: '', message: 'is not a JSON object' }],
      },
    );
  }
  const value = parseJsonText(trimmed, 'handshake line', 'PLUGIN_PROTOCOL_ERROR');
  if (!isJsonObject(value)) {
    throw protocolProblemsError('PLUGIN_PROTOCOL_ERROR', 'handshake line', [
      { path: '', message: `must be a JSON object, got ${jsonTypeName(value)}` },
    ]);
  }
  const problems = new ProblemList();
  const mismatch = protocolMismatch(value['protocol']);
  if (mismatch !== undefined) problems.add('protocol', mismatch);
  const address = problems.requiredString(value, 'address', '');
  let parsedAddress: PluginAddress | undefined;
  if (address !== undefined) {
    try {
      parsedAddress = parseAddress(address);
    } catch (error) {
      problems.add(
        'address',
        error instanceof ProtocolError
          ? (error.problems[0]?.message ?? error.message)
          : String(error),
      );
    }
  }
  const pid = value['pid'];
  if (pid !== undefined && !(typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0)) {
    problems.add('pid', 'must be a positive integer');
  }
  if (!problems.empty || address === undefined || parsedAddress === undefined) {
    throw protocolProblemsError('PLUGIN_PROTOCOL_ERROR', 'handshake line', problems.problems);
  }
  return {
    protocol: PROTOCOL_VERSION,
    address,
    parsedAddress,
    ...(typeof pid === 'number' ? { pid } : {}),
  };
}

/** Formats the handshake line a plugin prints, newline included. */
export function formatHandshakeLine(address: PluginAddress, pid?: number): string {
  const body: Record<string, unknown> = {
    protocol: PROTOCOL_VERSION,
    address: formatAddress(address),
  };
  if (pid !== undefined) body['pid'] = pid;
  return `${JSON.stringify(body)}\n`;
}
