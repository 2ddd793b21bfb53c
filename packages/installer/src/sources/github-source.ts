import { PlugboardError, formatPluginReference, type GithubReference } from '@plugboard/core';
import { isSha256Digest } from '../digest/sha256-digest.js';
import {
  collect,
  openHttp,
  readHttpJson,
  type HttpRequest,
  type InstallerFetch,
} from './http-fetch.js';
import type { ResolvedArtifact } from './resolved-artifact.js';
import { parseSignatureDocument } from './signature-sidecar.js';

/** GitHub's API, used unless the config names another (GitHub Enterprise, a test server). */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

/** Asset names that are plugin packages. */
const PACKAGE_SUFFIXES = ['.tgz', '.tar.gz'];

/** What `github://` installs need. */
export interface GithubSourceOptions {
  readonly fetch: InstallerFetch;
  readonly timeoutMs: number;
  /** The API root, e.g. `https://api.github.com` or `https://ghe.example.com/api/v3`. */
  readonly apiUrl: string;
  /**
   * Sent as `Authorization: Bearer` to URLs below `apiUrl` only (rate limits, private
   * repositories); with it, assets are downloaded through the API.
   */
  readonly token?: string | undefined;
}

interface ReleaseAsset {
  readonly name: string;
  /** The asset's API URL (`…/releases/assets/{id}`): private assets are downloaded from here. */
  readonly url?: string;
  readonly browser_download_url: string;
  readonly size?: number;
  readonly digest?: string | null;
}

/**
 * A `github://owner/repo[@tag]` reference: reads the release (`/repos/{owner}/{repo}/releases/tags/{tag}`,
 * or `/releases/latest` without a tag) and installs its one `.tgz`/`.tar.gz` asset. The asset's
 * `digest` (when GitHub lists one) is checked; `<asset>.sig` in the same release holds signatures.
 * The lock file pins the release's tag. With a token, assets come from their API URL with
 * `Accept: application/octet-stream` (what private repositories need); the token goes to URLs
 * below `apiUrl` only, never to the storage host GitHub redirects the download to.
 */
export async function resolveGithub(
  reference: GithubReference,
  options: GithubSourceOptions,
): Promise<ResolvedArtifact> {
  const api = options.apiUrl.replace(/\/+$/, '');
  const repoPath = `${encodeURIComponent(reference.owner)}/${encodeURIComponent(reference.repo)}`;
  const releaseUrl =
    reference.tag === undefined
      ? `${api}/repos/${repoPath}/releases/latest`
      : `${api}/repos/${repoPath}/releases/tags/${encodeURIComponent(reference.tag)}`;
  const shown = formatPluginReference(reference);
  const token = options.token === '' ? undefined : options.token;
  const inApi = apiScope(api);
  const apiHeaders: Record<string, string> = {
    accept: 'application/vnd.github+json',
    'x-github-api-version': GITHUB_API_VERSION,
    ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
  };
  const request = (subject: string, headers: Record<string, string> = {}): HttpRequest => ({
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    subject,
    headers,
    authorizationScope: inApi,
  });
  /** A private asset through the API with the token; a public one from its download URL. */
  const openAsset = (asset: ReleaseAsset, subject: string) =>
    token !== undefined && asset.url !== undefined && inApi(new URL(asset.url))
      ? openHttp(asset.url, request(subject, { ...apiHeaders, accept: 'application/octet-stream' }))
      : openHttp(asset.browser_download_url, request(subject));
  const release = (await readHttpJson(releaseUrl, request(`${shown}: release`, apiHeaders)).catch(
    (error: unknown) => {
      if (error instanceof PlugboardError && error.code === 'NOT_FOUND') {
        throw new PlugboardError(
          'NOT_FOUND',
          `${shown}: no such release (${releaseUrl} answered 404); check owner, repository and tag${token === undefined ? ', and for a private repository set GITHUB_TOKEN (or github.token in the client config)' : ''}`,
          { cause: error },
        );
      }
      throw error;
    },
  )) as { tag_name?: unknown; assets?: unknown };
  const tag = typeof release.tag_name === 'string' ? release.tag_name : reference.tag;
  const assets = (Array.isArray(release.assets) ? release.assets : []).filter(isAsset);
  const asset = pickPackage(assets, reference, shown);
  const sigAsset = assets.find((candidate) => candidate.name === `${asset.name}.sig`);
  const signatures =
    sigAsset === undefined
      ? []
      : parseSignatureDocument(
          (
            await collect(
              (await openAsset(sigAsset, `${shown}: ${sigAsset.name}`)).body,
              sigAsset.name,
            )
          ).toString('utf8'),
          `${shown}: ${sigAsset.name}`,
        );
  const subject = `${shown}${reference.tag === undefined && tag !== undefined ? ` (${tag})` : ''}: ${asset.name}`;
  return {
    subject,
    source: formatPluginReference({ ...reference, tag }),
    expectedDigests: [
      {
        digest:
          typeof asset.digest === 'string' && isSha256Digest(asset.digest)
            ? asset.digest
            : undefined,
        from: `GitHub's asset digest for ${asset.name}`,
      },
    ],
    signatures,
    warnings: [],
    async open() {
      const opened = await openAsset(asset, subject);
      return { body: opened.body, size: opened.size ?? asset.size };
    },
  };
}

/** The REST API version the requests ask for. */
const GITHUB_API_VERSION = '2022-11-28';

/** True for URLs on the API's origin at or below its path: the only place the token goes. */
function apiScope(api: string): (url: URL) => boolean {
  const base = new URL(`${api}/`);
  return (url) => url.origin === base.origin && url.pathname.startsWith(base.pathname);
}

function isAsset(value: unknown): value is ReleaseAsset {
  const record = value as Record<string, unknown> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record['name'] === 'string' &&
    typeof record['browser_download_url'] === 'string' &&
    (record['url'] === undefined || typeof record['url'] === 'string')
  );
}

function pickPackage(
  assets: readonly ReleaseAsset[],
  reference: GithubReference,
  shown: string,
): ReleaseAsset {
  const packages = assets.filter((asset) =>
    PACKAGE_SUFFIXES.some((suffix) => asset.name.toLowerCase().endsWith(suffix)),
  );
  if (packages.length === 1 && packages[0] !== undefined) return packages[0];
  const named = packages.filter((asset) => asset.name.startsWith(`${reference.repo}-`));
  if (named.length === 1 && named[0] !== undefined) return named[0];
  const listing = assets.map((asset) => asset.name).join(', ') || 'none';
  throw new PlugboardError(
    packages.length === 0 ? 'NOT_FOUND' : 'CONFLICT',
    packages.length === 0
      ? `${shown}: the release has no .tgz or .tar.gz asset (assets: ${listing}); attach the plugin package to the release`
      : `${shown}: the release has several packages (${packages.map((a) => a.name).join(', ')}); keep one, or name one "${reference.repo}-<version>.tgz"`,
    { details: { assets: assets.map((asset) => asset.name) } },
  );
}
