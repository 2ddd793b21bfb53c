import { readSync, openSync, closeSync } from 'node:fs';
import { basename } from 'node:path';

/** What a Node plugin may touch under Node's permission model. */
export interface NodePermissionGrant {
  /** Folders and files readable (recursively for folders). */
  readonly read: readonly string[];
  /** Folders and files writable (recursively for folders). */
  readonly write: readonly string[];
  /** `--allow-child-process`: a child process escapes the model, so this gives up confinement. */
  readonly childProcess: boolean;
  /** `--allow-worker`. */
  readonly worker: boolean;
}

/** Options of `nodeFlags`. */
export interface NodeFlagOptions {
  /** V8 old-space limit in MiB (`--max-old-space-size`). */
  readonly heapMb?: number;
  /** The permission model's grant, with the flag that turns it on. */
  readonly permission?: NodePermissionGrant & {
    readonly flag: '--permission' | '--experimental-permission';
    readonly canDisableWarning: boolean;
  };
}

/**
 * Node options for a sandboxed Node plugin. Each path gets its own `--allow-fs-*` flag: Node
 * 20.20 rejects comma-separated lists, and a folder path grants everything below it.
 */
export function nodeFlags(options: NodeFlagOptions): string[] {
  const flags: string[] = [];
  if (options.heapMb !== undefined) flags.push(`--max-old-space-size=${String(options.heapMb)}`);
  const permission = options.permission;
  if (permission !== undefined) {
    flags.push(permission.flag);
    // The model prints an ExperimentalWarning on every start, which would reach the host's log.
    if (permission.canDisableWarning) flags.push('--disable-warning=ExperimentalWarning');
    for (const path of permission.read) flags.push(`--allow-fs-read=${path}`);
    for (const path of permission.write) flags.push(`--allow-fs-write=${path}`);
    if (permission.childProcess) flags.push('--allow-child-process');
    if (permission.worker) flags.push('--allow-worker');
  }
  return flags;
}

/**
 * `flags` as one `NODE_OPTIONS` value. Node splits that variable on spaces and honours double
 * quotes with backslash escapes inside them, so flags holding spaces, quotes or backslashes are
 * quoted.
 */
export function formatNodeOptions(flags: readonly string[]): string {
  return flags
    .map((flag) => (/[\s"\\]/.test(flag) ? `"${flag.replace(/["\\]/g, '\\$&')}"` : flag))
    .join(' ');
}

function isNodeProgramName(path: string): boolean {
  return /^node(\d+)?(\.exe)?$/.test(basename(path));
}

/** Bytes read from the start of a file to find its `#!` line. */
const SHEBANG_READ_BYTES = 256;

/**
 * True when `command` runs Node: its file name is `node`, or it is a script whose `#!` line names
 * `node` (`#!/usr/bin/env node`, `#!/usr/local/bin/node --flag`) — how the SDK turns a JS plugin
 * into an executable. Unreadable files are not Node.
 */
export function isNodeCommand(command: string): boolean {
  if (isNodeProgramName(command)) return true;
  let fd: number | undefined;
  try {
    fd = openSync(command, 'r');
    const head = Buffer.alloc(SHEBANG_READ_BYTES);
    const length = readSync(fd, head, 0, SHEBANG_READ_BYTES, 0);
    const firstLine = head.subarray(0, length).toString('utf8').split('\n')[0] ?? '';
    if (!firstLine.startsWith('#!')) return false;
    return firstLine.slice(2).trim().split(/\s+/).some(isNodeProgramName);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
