import { PlugboardError, isPlugboardError } from '@plugboard/core';
import { byPriority, registryNamed, type RegistryEndpoint } from '@plugboard/installer';
import type { ClientContext } from './open-installer.js';

/** The registry a write goes to: the one `--registry` names, else the first by priority. */
export function writeRegistry(context: ClientContext, name: string | undefined): RegistryEndpoint {
  if (name !== undefined) return registryNamed(context.registries, name);
  const [first] = byPriority(context.registries);
  if (first === undefined) {
    throw new PlugboardError(
      'CONFIG_INVALID',
      `no registries are configured in ${context.config.paths.configFile}; add one under registries: (or set PLUGBOARD_REGISTRY_URL), or pass --registry NAME`,
    );
  }
  return first;
}

/**
 * Runs a registry write and adds what to do next to a credentials error: the registry's own
 * message says what is wrong, this says how to fix it from the CLI.
 */
export async function withLoginHint<T>(
  registry: RegistryEndpoint,
  action: () => Promise<T>,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (isPlugboardError(error, 'UNAUTHENTICATED') || isPlugboardError(error, 'FORBIDDEN')) {
      const hint =
        error.code === 'UNAUTHENTICATED'
          ? `run "plugboard login ${registry.name}" with a publisher token, or set auth: for it in the client config`
          : `this needs a token with the publisher role on registry "${registry.name}"`;
      throw new PlugboardError(error.code, `${error.message}; ${hint}`, {
        cause: error,
        details: error.details,
      });
    }
    throw error;
  }
}

/** Splits `name@version`; throws `USAGE` naming the command when either part is missing. */
export function nameAtVersion(
  text: string | undefined,
  command: string,
): { name: string; version: string } {
  const at = text?.lastIndexOf('@') ?? -1;
  if (text === undefined || at <= 0 || at === text.length - 1) {
    throw new PlugboardError(
      'USAGE',
      `${command} needs <name@version>, e.g. ${command} echo@1.2.0`,
    );
  }
  return { name: text.slice(0, at), version: text.slice(at + 1) };
}
