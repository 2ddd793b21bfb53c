import { isAbsolute, resolve } from 'node:path';
import type { Permissions } from '@plugboard/core';
import type { NodePermissionGrant } from './node-permission-flags.js';

/** A manifest flag outside the core schema (`child_process`, `worker`): true only when `true`. */
function declaredFlag(permissions: Permissions | undefined, name: string): boolean {
  return (permissions as Readonly<Record<string, unknown>> | undefined)?.[name] === true;
}

/** `~/x` → home, relative → inside the plugin folder, absolute unchanged. */
function resolveDeclaredPath(path: string, pluginDir: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return resolve(home, path.slice(2));
  return isAbsolute(path) ? resolve(path) : resolve(pluginDir, path);
}

/** Each path and, when it differs, its real path: Node checks the resolved path of a symlink. */
function withRealPaths(paths: readonly string[], realpath: (path: string) => string): string[] {
  const all: string[] = [];
  for (const path of paths) {
    if (!all.includes(path)) all.push(path);
    let real: string;
    try {
      real = realpath(path);
    } catch {
      continue; // not there yet (a data folder created later): the declared path is enough
    }
    if (!all.includes(real)) all.push(real);
  }
  return all;
}

/** Inputs of `nodePermissionGrant`. */
export interface NodeGrantInput {
  readonly pluginDir: string;
  readonly dataDir: string;
  readonly socketDir?: string;
  readonly permissions: Permissions | undefined;
  /** Home folder for `~/…` in declared paths. */
  readonly home: string;
  readonly realpath: (path: string) => string;
}

/**
 * What a Node plugin may touch: read its own folder, data and socket folders and the declared
 * `filesystem.read` paths; write the data and socket folders and `filesystem.write`; start child
 * processes or workers only when `permissions.child_process` / `permissions.worker` is `true`.
 * Declared paths: `~/x` is under `home`, a relative path is inside the plugin folder.
 */
export function nodePermissionGrant(input: NodeGrantInput): NodePermissionGrant {
  const { pluginDir, permissions, home, realpath } = input;
  const declared = (paths: readonly string[] | undefined): string[] =>
    (paths ?? []).map((path) => resolveDeclaredPath(path, pluginDir, home));
  const own = [input.dataDir, ...(input.socketDir === undefined ? [] : [input.socketDir])];
  return {
    read: withRealPaths([pluginDir, ...own, ...declared(permissions?.filesystem?.read)], realpath),
    write: withRealPaths([...own, ...declared(permissions?.filesystem?.write)], realpath),
    childProcess: declaredFlag(permissions, 'child_process'),
    worker: declaredFlag(permissions, 'worker'),
  };
}
