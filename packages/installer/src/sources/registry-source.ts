import type { RegistryClient, ResolvedPlugin, VersionView } from '@plugboard/client';
import {
  PlugboardError,
  formatPluginReference,
  isPlugboardError,
  type RegistryReference,
} from '@plugboard/core';
import type { ResolvedArtifact } from './resolved-artifact.js';

/** A configured registry: its name, its priority (lower is asked first) and a client for it. */
export interface RegistryEndpoint {
  readonly name: string;
  readonly priority: number;
  readonly client: RegistryClient;
}

/** Errors that mean "this registry does not have it": the next one is asked. */
const NOT_HERE = new Set(['PLUGIN_NOT_FOUND', 'VERSION_NOT_FOUND']);

/** Registries in the order they are asked: by priority, then by name for a stable order. */
export function byPriority(registries: readonly RegistryEndpoint[]): RegistryEndpoint[] {
  return [...registries].sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
}

/** The registry named in a reference or flag; throws `CONFIG_INVALID` naming the ones there are. */
export function registryNamed(
  registries: readonly RegistryEndpoint[],
  name: string,
): RegistryEndpoint {
  const found = registries.find((registry) => registry.name === name);
  if (found !== undefined) return found;
  const known = registries.map((registry) => `"${registry.name}"`).join(', ') || 'none';
  throw new PlugboardError(
    'CONFIG_INVALID',
    `no registry named "${name}" in the client config (configured: ${known}); add it under registries:`,
    { details: { registry: name } },
  );
}

/**
 * Finds `name@spec` in the configured registries, in priority order (or only in the one the
 * reference names): the first registry whose `resolve` answers wins. A registry that does not have
 * the plugin or version is skipped; one that cannot be reached is skipped with a warning. The
 * registry's digest and signatures for that version come along; the artifact is streamed later.
 */
export async function resolveFromRegistries(
  reference: RegistryReference,
  registries: readonly RegistryEndpoint[],
): Promise<ResolvedArtifact> {
  const spec = reference.spec ?? 'latest';
  const asked =
    reference.registry === undefined
      ? byPriority(registries)
      : [registryNamed(registries, reference.registry)];
  if (asked.length === 0) {
    throw new PlugboardError(
      'CONFIG_INVALID',
      `no registries are configured, so "${reference.name}" cannot be looked up; add one under registries: in the client config (or set PLUGBOARD_REGISTRY_URL)`,
    );
  }
  const misses: PlugboardError[] = [];
  const warnings: string[] = [];
  for (const registry of asked) {
    let resolved: ResolvedPlugin;
    try {
      resolved = await registry.client.resolve(reference.name, spec);
    } catch (error) {
      if (!isPlugboardError(error)) throw error;
      misses.push(error);
      if (!NOT_HERE.has(error.code)) {
        warnings.push(`registry "${registry.name}" was skipped: ${error.code}: ${error.message}`);
      }
      continue;
    }
    return artifactFrom(registry, reference.name, resolved, [...warnings, ...resolved.warnings]);
  }
  throw notFound(reference, spec, asked, misses);
}

async function artifactFrom(
  registry: RegistryEndpoint,
  name: string,
  resolved: ResolvedPlugin,
  warnings: string[],
): Promise<ResolvedArtifact> {
  const { version } = resolved;
  const subject = `${name}@${version} from registry "${registry.name}"`;
  const detail = await registry.client.getPlugin(name);
  const view: VersionView | undefined = detail.versions.find((v) => v.version === version);
  const listed = view?.digest ?? resolved.digest;
  if (listed === undefined) {
    throw new PlugboardError(
      'NOT_FOUND',
      `${subject} has no artifact to install (an image tag or registered metadata only); publish a package for it ("plugboard publish"), or run the image with its own tooling`,
      { details: { name, version, registry: registry.name } },
    );
  }
  return {
    subject,
    name,
    version,
    source: formatPluginReference({
      kind: 'registry',
      registry: registry.name,
      name,
      spec: version,
    }),
    expectedDigests: [
      { digest: view?.digest, from: `registry "${registry.name}"'s version list` },
      { digest: resolved.digest, from: `registry "${registry.name}"'s resolve answer` },
    ],
    signatures: view?.signatures ?? [],
    warnings,
    async open() {
      const download = await registry.client.downloadArtifact(name, version);
      return {
        body: download.body,
        size: download.size,
        digest: { digest: download.digest, from: `registry "${registry.name}"'s download headers` },
      };
    },
  };
}

function notFound(
  reference: RegistryReference,
  spec: string,
  asked: readonly RegistryEndpoint[],
  misses: readonly PlugboardError[],
): PlugboardError {
  const names = asked.map((registry) => `"${registry.name}"`).join(', ');
  const versionMiss = misses.find((error) => error.code === 'VERSION_NOT_FOUND');
  if (versionMiss !== undefined) {
    return new PlugboardError(
      'VERSION_NOT_FOUND',
      `no version of "${reference.name}" matches "${spec}" in ${names}: ${versionMiss.message}; run "plugboard show ${reference.name}" to see its versions`,
      { cause: versionMiss, details: { ...versionMiss.details, name: reference.name, spec } },
    );
  }
  const definitive = misses.every((error) => error.code === 'PLUGIN_NOT_FOUND');
  if (definitive) {
    return new PlugboardError(
      'PLUGIN_NOT_FOUND',
      `no plugin named "${reference.name}" in registry ${names}; try "plugboard search ${reference.name}"`,
      { details: { name: reference.name, registries: asked.map((r) => r.name) } },
    );
  }
  const first = misses.find((error) => error.code !== 'PLUGIN_NOT_FOUND') ?? misses[0];
  return new PlugboardError(
    first?.code ?? 'UNAVAILABLE',
    `"${reference.name}" could not be looked up: ${misses
      .map((error) => `${error.code}: ${error.message}`)
      .join('; ')}; check the registries' url and auth in the client config, or retry later`,
    { cause: first, details: { name: reference.name } },
  );
}
