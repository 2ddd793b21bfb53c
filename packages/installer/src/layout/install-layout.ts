import { join } from 'node:path';

/** Folder below the install root holding the installer's own state (hidden: discovery skips it). */
export const STATE_FOLDER = '.plugboard';
/** Folder below the install root holding disabled plugins (hidden: the host does not load them). */
export const DISABLED_FOLDER = '.disabled';

/**
 * Where everything lives under an install root:
 *
 * ```
 * <root>/<name>/<version>/             an enabled plugin (what the plugin host discovers)
 * <root>/.disabled/<name>/<version>/   a disabled plugin
 * <root>/.plugboard/lock               the file lock serialising changes
 * <root>/.plugboard/staging/<pid>-<id>/  downloads and unpacking in progress
 * <root>/.plugboard/journal/<id>.json  a change in progress, replayed after a crash
 * <root>/.plugboard/trash/<id>…        folders on their way out
 * ```
 *
 * Staging sits on the same file system as the plugins, so moving a finished folder in is one
 * atomic `rename`.
 */
export class InstallLayout {
  constructor(readonly root: string) {}

  get stateDir(): string {
    return join(this.root, STATE_FOLDER);
  }

  get lockPath(): string {
    return join(this.stateDir, 'lock');
  }

  get stagingDir(): string {
    return join(this.stateDir, 'staging');
  }

  get journalDir(): string {
    return join(this.stateDir, 'journal');
  }

  get trashDir(): string {
    return join(this.stateDir, 'trash');
  }

  get disabledDir(): string {
    return join(this.root, DISABLED_FOLDER);
  }

  /** The folder holding a plugin's versions, enabled or disabled. */
  pluginDir(name: string, enabled: boolean): string {
    return enabled ? join(this.root, name) : join(this.disabledDir, name);
  }

  /** The folder of one installed version. */
  versionDir(name: string, version: string, enabled: boolean): string {
    return join(this.pluginDir(name, enabled), version);
  }
}
