import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
  importManifestText,
  isValidVersion,
  PlugboardError,
  type PluginManifest,
} from '@plugboard/core';
import type { PluginLaunch } from '../plugin-launch.js';
import { listCapabilitySchemaProblems } from '../capabilities/plugin-capabilities.js';
import { problemsError } from '@plugboard/core';
import { pluginId, type DiscoveredPlugin } from './discovered-plugin.js';
import type { PluginCandidate } from './find-plugin-candidates.js';
import type { LoadContext } from './load-context.js';
import { requirementProblem } from './plugin-requirements.js';

type ManifestCandidate = Extract<PluginCandidate, { kind: 'manifest' }>;

/**
 * Loads a `<root>/<name>/<version>/manifest.*` plugin: imports the manifest (any format core
 * reads), checks that folder and manifest agree on name and version, resolves the runtime
 * entrypoint inside the folder, and takes capabilities from the manifest — or, when it lists none,
 * from the entrypoint's `capabilities` output. Throws a `PlugboardError` naming what is wrong.
 */
export async function loadManifestPlugin(
  candidate: ManifestCandidate,
  context: LoadContext,
): Promise<DiscoveredPlugin> {
  const text = await readFile(candidate.file, 'utf8');
  const imported = importManifestText(text, { source: candidate.file });
  const warnings = [...imported.warnings];
  let manifest: PluginManifest = imported.manifest;

  const layout = layoutOf(candidate);
  if (layout !== undefined) {
    if (layout.name !== manifest.name) {
      throw new PlugboardError(
        'MANIFEST_INVALID',
        `${candidate.file}: manifest name "${manifest.name}" does not match its folder "${layout.name}"`,
        { details: { problems: [{ path: 'name', message: `must be "${layout.name}"` }] } },
      );
    }
    if (manifest.version === undefined) {
      manifest = { ...manifest, version: layout.version };
    } else if (manifest.version !== layout.version) {
      throw new PlugboardError(
        'MANIFEST_INVALID',
        `${candidate.file}: manifest version "${manifest.version}" does not match its folder "${layout.version}"`,
        { details: { problems: [{ path: 'version', message: `must be "${layout.version}"` }] } },
      );
    }
  }

  const incompatible = requirementProblem(manifest, context.hostApiVersion);
  if (incompatible !== undefined) {
    throw new PlugboardError(incompatible.code, `${candidate.file}: ${incompatible.message}`);
  }

  const launch = await launchOf(manifest, candidate);
  let capabilities = manifest.capabilities;
  if (capabilities === undefined) {
    const queried = await context.queryCapabilities(launch, manifest.name);
    capabilities = [...queried.capabilities];
    if (queried.name !== undefined && queried.name !== manifest.name) {
      warnings.push(
        `capabilities output names the plugin "${queried.name}", the manifest "${manifest.name}"`,
      );
    }
    manifest = {
      ...manifest,
      capabilities,
      ...(manifest.configuration === undefined && queried.configSchema !== undefined
        ? { configuration: queried.configSchema }
        : {}),
    };
  } else {
    const problems = listCapabilitySchemaProblems(capabilities);
    if (problems.length > 0) {
      throw problemsError(
        'MANIFEST_INVALID',
        `${candidate.file}: capability schemas are not valid JSON Schemas`,
        problems,
      );
    }
  }

  return {
    id: pluginId(manifest.name, manifest.version),
    name: manifest.name,
    ...(manifest.version === undefined ? {} : { version: manifest.version }),
    source: 'manifest',
    path: candidate.file,
    root: candidate.root,
    launch,
    entrypointSha256: (await context.fingerprint(launch)).sha256,
    manifest,
    capabilities,
    warnings,
  };
}

/** `<name>/<version>` from the folder path, when the folder sits at least two levels down. */
function layoutOf(candidate: ManifestCandidate): { name: string; version: string } | undefined {
  const parts = relative(candidate.root, candidate.dir)
    .split(sep)
    .filter((p) => p !== '');
  if (parts.length < 2) return undefined;
  const version = basename(candidate.dir);
  if (!isValidVersion(version)) return undefined;
  return { name: basename(dirname(candidate.dir)), version };
}

async function launchOf(
  manifest: PluginManifest,
  candidate: ManifestCandidate,
): Promise<PluginLaunch> {
  const runtime = manifest.runtime;
  const fail = (path: string, message: string): never => {
    throw new PlugboardError('MANIFEST_INVALID', `${candidate.file}: ${path} ${message}`, {
      details: { problems: [{ path, message }] },
    });
  };
  if (runtime === undefined) return fail('runtime', 'is required to run the plugin');
  if (runtime.type === 'image') {
    throw new PlugboardError(
      'NOT_IMPLEMENTED',
      `${candidate.file}: runtime.type "image" is not run by the plugin host; install it as an executable`,
    );
  }
  if (runtime.entrypoint === undefined || runtime.entrypoint === '') {
    return fail('runtime.entrypoint', 'is required');
  }
  if (isAbsolute(runtime.entrypoint)) {
    return fail('runtime.entrypoint', 'must be relative to the plugin folder');
  }
  const entrypoint = resolve(candidate.dir, runtime.entrypoint);
  const inside = relative(candidate.dir, entrypoint);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    return fail('runtime.entrypoint', 'must stay inside the plugin folder');
  }
  const info = await stat(entrypoint).catch(() => undefined);
  if (info === undefined || !info.isFile()) {
    return fail('runtime.entrypoint', `"${runtime.entrypoint}" does not exist in ${candidate.dir}`);
  }
  const args = runtime.args ?? [];
  if (runtime.type === 'node') {
    return {
      command: process.execPath,
      args: [entrypoint, ...args],
      cwd: candidate.dir,
      entrypoint,
    };
  }
  const executable = await access(entrypoint, constants.X_OK).then(
    () => true,
    () => false,
  );
  if (!executable) {
    return fail(
      'runtime.entrypoint',
      `"${join(candidate.dir, runtime.entrypoint)}" is not executable`,
    );
  }
  return { command: entrypoint, args, cwd: candidate.dir, entrypoint };
}
