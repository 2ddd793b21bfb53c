import { isAbsolute, join, resolve } from 'node:path';

/** Where the client keeps its files. */
export interface ClientPaths {
  /** The config file read (it may not exist unless it was named with `--config`). */
  readonly configFile: string;
  /** True when the file was named with `--config` (then it must exist). */
  readonly explicit: boolean;
  /** Folder of `keys/` and `credentials.json`. */
  readonly configDir: string;
  /** Default install root. */
  readonly installRoot: string;
  /** Default download cache. */
  readonly cacheDir: string;
}

/** The config file's name in the config folder. */
export const CONFIG_FILE_NAME = 'config.yaml';

/**
 * Where things live. `PLUGBOARD_HOME` puts everything in one folder (`config.yaml`, `plugins/`,
 * `cache/`, `keys/`, `credentials.json`); otherwise the XDG base directories are used
 * (`$XDG_CONFIG_HOME/plugboard/config.yaml`, `$XDG_DATA_HOME/plugboard/plugins`,
 * `$XDG_CACHE_HOME/plugboard`, defaulting to `~/.config`, `~/.local/share`, `~/.cache`).
 * `--config FILE` names the config file and wins over both.
 */
export function resolveClientPaths(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  configFlag: string | undefined,
): ClientPaths {
  const home = env['HOME'] ?? cwd;
  const base = (variable: string, fallback: string): string => {
    const value = env[variable];
    return value !== undefined && value !== '' && isAbsolute(value) ? value : join(home, fallback);
  };
  const plugboardHome = env['PLUGBOARD_HOME'];
  const paths =
    plugboardHome !== undefined && plugboardHome !== ''
      ? {
          configDir: resolve(cwd, plugboardHome),
          installRoot: join(resolve(cwd, plugboardHome), 'plugins'),
          cacheDir: join(resolve(cwd, plugboardHome), 'cache'),
        }
      : {
          configDir: join(base('XDG_CONFIG_HOME', '.config'), 'plugboard'),
          installRoot: join(base('XDG_DATA_HOME', '.local/share'), 'plugboard', 'plugins'),
          cacheDir: join(base('XDG_CACHE_HOME', '.cache'), 'plugboard'),
        };
  return {
    ...paths,
    configFile:
      configFlag === undefined ? join(paths.configDir, CONFIG_FILE_NAME) : resolve(cwd, configFlag),
    explicit: configFlag !== undefined,
  };
}
