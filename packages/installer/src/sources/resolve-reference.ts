import { parsePluginReference, type PluginReference } from '@plugboard/core';
import type { InstallerOptions } from '../installer/installer-options.js';
import { resolveGs, resolveS3 } from './bucket-source.js';
import { resolveFile } from './file-source.js';
import { DEFAULT_GITHUB_API_URL, resolveGithub } from './github-source.js';
import { DEFAULT_HTTP_TIMEOUT_MS, type InstallerFetch } from './http-fetch.js';
import { resolveHttps } from './https-source.js';
import { resolveOci } from './oci-source.js';
import { resolveFromRegistries } from './registry-source.js';
import type { ResolvedArtifact } from './resolved-artifact.js';

/**
 * Finds the artifact a reference names, by kind: registries (priority order), `https://`,
 * `file://` and paths, `oci://`, `github://`, `s3://` and `gs://`.
 */
export async function resolveReference(
  reference: string | PluginReference,
  options: InstallerOptions,
): Promise<ResolvedArtifact> {
  const parsed = typeof reference === 'string' ? parsePluginReference(reference) : reference;
  const fetch: InstallerFetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const timeoutMs = options.httpTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  switch (parsed.kind) {
    case 'registry':
      return resolveFromRegistries(parsed, options.registries ?? []);
    case 'https':
      return resolveHttps(parsed, { fetch, timeoutMs });
    case 'file':
      return resolveFile(parsed, options.cwd ?? process.cwd());
    case 'oci':
      return resolveOci(parsed, {
        fetch,
        timeoutMs,
        plainHttpHosts: options.oci?.plainHttpHosts,
        credentials: options.oci?.credentials,
      });
    case 'github':
      return resolveGithub(parsed, {
        fetch,
        timeoutMs,
        apiUrl: options.github?.apiUrl ?? DEFAULT_GITHUB_API_URL,
        token: githubToken(options.github?.token),
      });
    case 's3':
      return resolveS3(parsed, options.s3 ?? {}, { fetch, timeoutMs });
    case 'gs':
      return resolveGs(parsed, options.gs ?? {}, { fetch, timeoutMs });
  }
}

/** The configured GitHub token, else `GITHUB_TOKEN` from the environment (an empty one is none). */
function githubToken(configured: string | undefined): string | undefined {
  if (configured !== undefined && configured !== '') return configured;
  const fromEnv = process.env['GITHUB_TOKEN'];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}
