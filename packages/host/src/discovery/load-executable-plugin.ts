import { basename, dirname } from 'node:path';
import { validateManifest, type PluginManifest } from '@plugboard/core';
import type { PluginLaunch } from '../plugin-launch.js';
import { pluginId, type DiscoveredPlugin } from './discovered-plugin.js';
import type { PluginCandidate } from './find-plugin-candidates.js';
import type { LoadContext } from './load-context.js';

type ExecutableCandidate = Extract<PluginCandidate, { kind: 'executable' }>;

/**
 * Loads a bare executable (seed 001): its id is its file name and its manifest is built from what
 * `EXE capabilities` prints (a plugboard/1 document or OCM's form).
 */
export async function loadExecutablePlugin(
  candidate: ExecutableCandidate,
  context: LoadContext,
): Promise<DiscoveredPlugin> {
  const name = basename(candidate.file);
  const launch: PluginLaunch = {
    command: candidate.file,
    args: [],
    cwd: dirname(candidate.file),
    entrypoint: candidate.file,
  };
  const queried = await context.queryCapabilities(launch, name);
  const warnings: string[] = [];
  if (queried.name !== undefined && queried.name !== name) {
    warnings.push(
      `capabilities output names the plugin "${queried.name}"; its file name "${name}" is used`,
    );
  }
  const manifest: PluginManifest = validateManifest(
    {
      name,
      ...(queried.version === undefined ? {} : { version: queried.version }),
      capabilities: queried.capabilities,
      runtime: { type: 'executable', entrypoint: name },
      ...(queried.configSchema === undefined ? {} : { configuration: queried.configSchema }),
    },
    `manifest built from "${candidate.file}" capabilities`,
  );
  return {
    id: pluginId(name, manifest.version),
    name,
    ...(manifest.version === undefined ? {} : { version: manifest.version }),
    source: 'executable',
    path: candidate.file,
    root: candidate.root,
    launch,
    entrypointSha256: (await context.fingerprint(launch)).sha256,
    manifest,
    capabilities: manifest.capabilities ?? [],
    warnings,
  };
}
