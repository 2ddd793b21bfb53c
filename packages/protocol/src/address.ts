import { MAX_UNIX_SOCKET_PATH_BYTES } from './defaults.js';
import { ProtocolError, type ProtocolErrorCode } from './protocol-error.js';

/** Where a serving plugin listens: a unix socket path, or a TCP port on the loopback interface. */
export type PluginAddress =
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

/** Loopback hosts a `tcp://` address may name; a plugin never listens on another interface. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Parses `unix:///abs/path.sock` or `tcp://127.0.0.1:PORT`. Unix paths must be absolute; TCP hosts
 * must be loopback and ports 1–65535.
 *
 * @example
 * parseAddress('unix:///tmp/pb-1/p.sock'); // { kind: 'unix', path: '/tmp/pb-1/p.sock' }
 */
export function parseAddress(
  text: string,
  code: ProtocolErrorCode = 'PLUGIN_PROTOCOL_ERROR',
): PluginAddress {
  const fail = (why: string): never => {
    throw new ProtocolError(code, `address "${text}" ${why}`, {
      problems: [{ path: '', message: why }],
    });
  };
  if (text.startsWith('unix://')) {
    const path = decodePath(text.slice('unix://'.length), fail);
    if (!path.startsWith('/')) fail('must name an absolute socket path (unix:///abs/path)');
    if (path.includes('\0')) fail('must not contain a NUL byte');
    return { kind: 'unix', path };
  }
  if (text.startsWith('tcp://')) {
    const match = /^tcp:\/\/(\[[^\]]+\]|[^:/]+):([0-9]{1,5})\/?$/.exec(text);
    if (match === null) return fail('must be tcp://HOST:PORT');
    const host = match[1] ?? '';
    const port = Number(match[2]);
    if (!isLoopbackHost(host)) fail('must name a loopback host (127.0.0.1, localhost or [::1])');
    if (port < 1 || port > 65_535) fail('must have a port between 1 and 65535');
    return { kind: 'tcp', host, port };
  }
  return fail('must start with unix:// or tcp://');
}

/** Formats an address the way a handshake line carries it. */
export function formatAddress(address: PluginAddress): string {
  return address.kind === 'unix'
    ? `unix://${address.path}`
    : `tcp://${address.host}:${address.port}`;
}

/** True for `127.x.y.z`, `localhost` and `[::1]`. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$/.test(host);
}

/** UTF-8 length of `text` in bytes (without the Node `Buffer` API, which this package may not use). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/**
 * Why a unix socket path cannot be used, or `undefined` when it can: it must be absolute and at most
 * `MAX_UNIX_SOCKET_PATH_BYTES` bytes, because `sun_path` is 104–108 bytes depending on the OS.
 */
export function socketPathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return `socket path "${path}" must be absolute`;
  const bytes = utf8ByteLength(path);
  if (bytes > MAX_UNIX_SOCKET_PATH_BYTES) {
    return `socket path "${path}" is ${bytes} bytes; at most ${MAX_UNIX_SOCKET_PATH_BYTES} are allowed`;
  }
  return undefined;
}

function decodePath(raw: string, fail: (why: string) => never): string {
  // Paths are written verbatim by plugboard plugins, but a percent-encoded one is still accepted.
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return fail('has an invalid percent-encoding');
  }
}
