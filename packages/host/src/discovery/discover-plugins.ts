import { isPlugboardError, PlugboardError } from '@plugboard/core';
import {
  CapabilitiesCache,
  fingerprintExecutable,
  type ExecutableFingerprint,
} from '../capabilities/capabilities-cache.js';
import { queryCapabilities } from '../capabilities/query-capabilities.js';
import { SILENT_LOGGER, type HostLogger } from '../logs/host-logger.js';
import type { PluginLaunch } from '../plugin-launch.js';
import type { PluginSpawner } from '../spawner.js';
import { createConcurrencyLimit } from './concurrency-limit.js';
import type { DiscoveredPlugin, DiscoveryProblem, DiscoveryResult } from './discovered-plugin.js';
import { findPluginCandidates, type PluginCandidate } from './find-plugin-candidates.js';
import type { LoadContext } from './load-context.js';
import { loadExecutablePlugin } from './load-executable-plugin.js';
import { loadManifestPlugin } from './load-manifest-plugin.js';
import { DEFAULT_HOST_API_VERSION } from './plugin-requirements.js';

/** How many `capabilities` commands discovery runs at once. */
export const DEFAULT_DISCOVERY_CONCURRENCY = 4;

/**
 * How many plugins discovery loads at once (reading manifests, hashing executables, recalling
 * cached outputs); only the `capabilities` commands among them are held to `concurrency`.
 */
const LOAD_CONCURRENCY = 64;

/** Options of `discoverPlugins`. */
export interface DiscoverOptions {
  /** Remembers `capabilities` outputs; defaults to a fresh in-memory cache. */
  readonly cache?: CapabilitiesCache;
  readonly spawner?: PluginSpawner;
  readonly logger?: HostLogger;
  readonly capabilitiesTimeoutMs?: number;
  readonly hostApiVersion?: string;
  readonly maxDepth?: number;
  /** How many `capabilities` commands run at once (`DEFAULT_DISCOVERY_CONCURRENCY`). */
  readonly concurrency?: number;
  /** Environment for `capabilities` commands; defaults to the host's. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Finds plugins under the roots: `<root>/<name>/<version>/manifest.{json,yml,yaml}` folders and bare
 * executables (seed 001 and seed 003's filesystem layout). A plugin that cannot be loaded is listed
 * in `problems` with its path and reason, and the others still load. Throws `NO_PLUGINS_FOUND` when
 * the roots hold nothing that looks like a plugin at all.
 *
 * @example
 * const { plugins, problems } = await discoverPlugins(['/usr/local/lib/plugboard/plugins']);
 */
export async function discoverPlugins(
  roots: readonly string[],
  options: DiscoverOptions = {},
): Promise<DiscoveryResult> {
  const logger = options.logger ?? SILENT_LOGGER;
  const cache = options.cache ?? new CapabilitiesCache();
  const { candidates, problems } = await findPluginCandidates(roots, options.maxDepth);
  if (candidates.length === 0) {
    throw new PlugboardError(
      'NO_PLUGINS_FOUND',
      `no plugins found in ${roots.map((root) => `"${root}"`).join(', ') || '(no folders given)'}`,
      { details: { roots: [...roots], problems } },
    );
  }
  const concurrency = options.concurrency ?? DEFAULT_DISCOVERY_CONCURRENCY;
  const limitCommands = createConcurrencyLimit(concurrency);
  // Both the cache lookup and the loaded plugin's `entrypointSha256` need the fingerprint.
  const fingerprints = new Map<string, Promise<ExecutableFingerprint>>();
  const fingerprint = (launch: PluginLaunch): Promise<ExecutableFingerprint> => {
    const key = JSON.stringify([launch.entrypoint, launch.command, ...launch.args]);
    let taken = fingerprints.get(key);
    if (taken === undefined) {
      taken = fingerprintExecutable(launch);
      fingerprints.set(key, taken);
    }
    return taken;
  };
  const context: LoadContext = {
    hostApiVersion: options.hostApiVersion ?? DEFAULT_HOST_API_VERSION,
    fingerprint,
    queryCapabilities: async (launch, plugin) =>
      queryCapabilities(launch, {
        plugin,
        cache,
        spawner: options.spawner,
        logger,
        timeoutMs: options.capabilitiesTimeoutMs,
        env: options.env,
        fingerprint: await fingerprint(launch),
        limitCommands,
      }),
  };

  const loaded = await mapWithConcurrency(
    candidates,
    Math.max(concurrency, LOAD_CONCURRENCY),
    (candidate) => loadCandidate(candidate, context),
  );
  const plugins: DiscoveredPlugin[] = [];
  for (const [index, result] of loaded.entries()) {
    if ('plugin' in result) {
      plugins.push(result.plugin);
      continue;
    }
    const candidate = candidates[index];
    problems.push(result.problem);
    logger.warn(
      { path: candidate?.file, code: result.problem.code },
      `plugin skipped: ${result.problem.message}`,
    );
  }
  problems.push(...duplicateIdProblems(plugins));
  await cache.save().catch((error: unknown) => {
    logger.warn({ err: error }, 'capabilities cache could not be written');
  });
  return { plugins: dropDuplicateIds(plugins), problems };
}

async function loadCandidate(
  candidate: PluginCandidate,
  context: LoadContext,
): Promise<{ plugin: DiscoveredPlugin } | { problem: DiscoveryProblem }> {
  try {
    const plugin =
      candidate.kind === 'manifest'
        ? await loadManifestPlugin(candidate, context)
        : await loadExecutablePlugin(candidate, context);
    return { plugin };
  } catch (error) {
    if (isPlugboardError(error)) {
      return {
        problem: {
          path: candidate.file,
          code: error.code,
          message: error.message,
          ...(error.details === undefined ? {} : { details: error.details }),
        },
      };
    }
    return {
      problem: {
        path: candidate.file,
        code: 'INTERNAL',
        message: `${candidate.file}: ${error instanceof Error ? error.message : String(error)}`,
      },
    };
  }
}

/** Two plugins with the same `name@version` in different places cannot both be addressed by id. */
function duplicateIdProblems(plugins: readonly DiscoveredPlugin[]): DiscoveryProblem[] {
  const first = new Map<string, DiscoveredPlugin>();
  const problems: DiscoveryProblem[] = [];
  for (const plugin of plugins) {
    const earlier = first.get(plugin.id);
    if (earlier === undefined) {
      first.set(plugin.id, plugin);
      continue;
    }
    problems.push({
      path: plugin.path,
      code: 'CAPABILITY_CONFLICT',
      message: `plugin ${plugin.id} is found twice: "${earlier.path}" and "${plugin.path}"; the first is used`,
      details: { id: plugin.id, paths: [earlier.path, plugin.path] },
    });
  }
  return problems;
}

function dropDuplicateIds(plugins: readonly DiscoveredPlugin[]): DiscoveredPlugin[] {
  const seen = new Set<string>();
  return plugins.filter((plugin) => !seen.has(plugin.id) && seen.add(plugin.id));
}

async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
