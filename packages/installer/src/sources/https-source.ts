import {
  PlugboardError,
  importManifestText,
  parsePluginReference,
  type HttpsReference,
} from '@plugboard/core';
import { toSha256Digest } from '../digest/sha256-digest.js';
import { openHttp, readHttpText, type HttpRequest, type InstallerFetch } from './http-fetch.js';
import type { ResolvedArtifact } from './resolved-artifact.js';
import { fetchSignatureSidecar } from './signature-sidecar.js';

/** URL path endings that mark a manifest rather than a package. */
const MANIFEST_SUFFIXES = ['.json', '.yaml', '.yml'];

/** What `https://` installs need. */
export interface HttpsSourceOptions {
  readonly fetch: InstallerFetch;
  readonly timeoutMs: number;
}

/**
 * An `https://` reference (plain `http://` only on the loopback host). A URL whose path ends in
 * `.json`, `.yaml` or `.yml` is a manifest (seed 003): its `installation.download_url` names the
 * package (relative URLs resolve against the manifest's) and its `installation.checksum`, when
 * given, the sha256 the package must have. Any other URL is the package itself. Signatures come
 * from `<package URL>.sig` when the server has it.
 */
export async function resolveHttps(
  reference: HttpsReference,
  options: HttpsSourceOptions,
): Promise<ResolvedArtifact> {
  const request = (subject: string): HttpRequest => ({
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    subject,
  });
  const path = new URL(reference.url).pathname.toLowerCase();
  if (!MANIFEST_SUFFIXES.some((suffix) => path.endsWith(suffix))) {
    return packageAt(reference.url, reference.url, undefined, undefined, [], request);
  }
  const { text } = await readHttpText(reference.url, request(reference.url));
  const imported = importManifestText(text, { source: reference.url });
  const installation = imported.manifest.metadata?.['installation'];
  const fields = (
    typeof installation === 'object' && installation !== null ? installation : {}
  ) as Record<string, unknown>;
  const downloadUrl = fields['download_url'];
  if (typeof downloadUrl !== 'string' || downloadUrl === '') {
    throw new PlugboardError(
      'MANIFEST_INVALID',
      `${reference.url}: the manifest has no installation.download_url, so there is no package to fetch; install the package URL itself`,
      {
        details: {
          problems: [
            {
              path: 'installation.download_url',
              message: 'is required to install from a manifest URL',
            },
          ],
        },
      },
    );
  }
  const packageUrl = new URL(downloadUrl, reference.url).toString();
  // The same rules as a reference: https, or http on the loopback host only.
  parsePluginReference(packageUrl);
  const algorithm = fields['checksum_algorithm'] ?? 'sha256';
  const checksum = fields['checksum'];
  const expected =
    typeof checksum === 'string' && algorithm === 'sha256'
      ? toSha256Digest(checksum, `${reference.url}: installation.checksum`)
      : undefined;
  return packageAt(
    packageUrl,
    reference.url,
    imported.manifest,
    expected,
    imported.warnings,
    request,
  );
}

async function packageAt(
  url: string,
  source: string,
  manifest: { name: string; version?: string | undefined } | undefined,
  checksum: string | undefined,
  warnings: readonly string[],
  request: (subject: string) => HttpRequest,
): Promise<ResolvedArtifact> {
  const signatures = await fetchSignatureSidecar(url, request(url));
  return {
    subject: url,
    name: manifest?.name,
    version: manifest?.version,
    source,
    expectedDigests: [
      { digest: checksum, from: `the manifest's installation.checksum (${source})` },
    ],
    signatures,
    warnings,
    async open() {
      const opened = await openHttp(url, request(url));
      return { body: opened.body, size: opened.size };
    },
  };
}
