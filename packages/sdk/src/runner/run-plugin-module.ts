import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PluginDefinition } from '../plugin-definition.js';
import { PLUGIN_EXIT_CODES, servePlugin } from '../serve-plugin.js';

function looksLikeDefinition(value: unknown): value is PluginDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const { name, version, capabilities } = value as Record<string, unknown>;
  return typeof name === 'string' && typeof version === 'string' && Array.isArray(capabilities);
}

/**
 * The `plugboard-plugin <module.js> capabilities | serve --socket P` command: imports a module whose
 * default export is a plugin definition and runs it with `servePlugin`. Resolves with the exit code.
 *
 * @example
 * // plugboard-plugin ./dist/my-plugin.js capabilities
 * await runPluginModule(process.argv.slice(2));
 */
export async function runPluginModule(
  args: readonly string[],
  exit: (code: number) => void = (code) => process.exit(code),
): Promise<number> {
  const [modulePath, ...rest] = args;
  if (modulePath === undefined || modulePath === '' || modulePath.startsWith('-')) {
    process.stderr.write(
      'usage: plugboard-plugin <module.js> capabilities | serve --socket <path>\n',
    );
    exit(PLUGIN_EXIT_CODES.USAGE);
    return PLUGIN_EXIT_CODES.USAGE;
  }
  let loaded: { default?: unknown };
  try {
    loaded = (await import(pathToFileURL(resolve(modulePath)).href)) as { default?: unknown };
  } catch (error) {
    process.stderr.write(
      `cannot load plugin module ${modulePath}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    exit(PLUGIN_EXIT_CODES.START_FAILED);
    return PLUGIN_EXIT_CODES.START_FAILED;
  }
  if (!looksLikeDefinition(loaded.default)) {
    process.stderr.write(
      `${modulePath} has no default export with name, version and capabilities (a plugin definition)\n`,
    );
    exit(PLUGIN_EXIT_CODES.START_FAILED);
    return PLUGIN_EXIT_CODES.START_FAILED;
  }
  return servePlugin(loaded.default, { args: rest, exit });
}
