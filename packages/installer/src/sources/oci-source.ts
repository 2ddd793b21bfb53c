import { createHash } from 'node:crypto';
import { PlugboardError, formatPluginReference, type OciReference } from '@plugboard/core';
import { isSha256Digest } from '../digest/sha256-digest.js';
import type { ArtifactSignature } from '../signing/artifact-signatures.js';
import {
  collect,
  openHttp,
  readHttpJson,
  type HttpRequest,
  type InstallerFetch,
  type OpenHttpResponse,
} from './http-fetch.js';
import type { ResolvedArtifact } from './resolved-artifact.js';
import { parseSignatureDocument } from './signature-sidecar.js';

/** Layer media type of a plugin package pushed as an OCI artifact. */
export const PLUGIN_LAYER_MEDIA_TYPE = 'application/vnd.plugboard.plugin.v1+tar+gzip';
/** Manifest annotation holding signatures (the registry's JSON form). */
export const SIGNATURES_ANNOTATION = 'dev.plugboard.signatures';

const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** Hosts always spoken to over plain HTTP: traffic never leaves the machine. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** What `oci://` installs need. */
export interface OciSourceOptions {
  readonly fetch: InstallerFetch;
  readonly timeoutMs: number;
  /** Extra `host[:port]`s reached over plain HTTP (loopback hosts always are). */
  readonly plainHttpHosts?: readonly string[] | undefined;
  /** Basic credentials per `host[:port]`, also used for the token service's challenge. */
  readonly credentials?:
    Readonly<Record<string, { readonly username: string; readonly password: string }>> | undefined;
}

interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
}

/**
 * An `oci://host/repo[:tag][@sha256:…]` reference, pulled through the distribution API: the
 * manifest (by digest when given, checked against it), then the one layer holding the plugin
 * package (`application/vnd.plugboard.plugin.v1+tar+gzip`, or a manifest's only gzip layer), whose
 * descriptor digest the bytes must match. Signatures are read from the manifest annotation
 * `dev.plugboard.signatures`. Anonymous pulls, Basic credentials and the Bearer token-service
 * challenge are supported. The lock file pins the manifest digest.
 */
export async function resolveOci(
  reference: OciReference,
  options: OciSourceOptions,
): Promise<ResolvedArtifact> {
  const plain =
    LOOPBACK_HOSTS.has(reference.registry.replace(/:\d+$/, '').toLowerCase()) ||
    (options.plainHttpHosts ?? []).includes(reference.registry);
  const base = `${plain ? 'http' : 'https'}://${reference.registry}/v2/${reference.repository}`;
  const shown = formatPluginReference(reference);
  const auth = new OciAuth(reference, options);
  const wanted = reference.digest ?? reference.tag ?? 'latest';
  const manifestResponse = await auth.open(`${base}/manifests/${wanted}`, `${shown}: manifest`, {
    accept: MANIFEST_ACCEPT,
  });
  const manifestBytes = await collect(manifestResponse.body, `${shown}: manifest`);
  const manifestDigest = `sha256:${createHash('sha256').update(manifestBytes).digest('hex')}`;
  if (reference.digest !== undefined && reference.digest !== manifestDigest) {
    throw new PlugboardError(
      'DIGEST_MISMATCH',
      `${shown}: the registry answered a manifest with digest ${manifestDigest}; nothing was installed`,
      { details: { actual: manifestDigest, expected: reference.digest } },
    );
  }
  let manifest: { layers?: unknown; annotations?: unknown };
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as typeof manifest;
  } catch (cause) {
    throw new PlugboardError('UNAVAILABLE', `${shown}: the manifest is not JSON`, { cause });
  }
  const layer = pickLayer(manifest.layers, shown);
  const signatures = readSignatures(manifest.annotations, shown);
  const pinned = formatPluginReference({
    kind: 'oci',
    registry: reference.registry,
    repository: reference.repository,
    digest: manifestDigest,
  });
  return {
    subject: shown,
    source: pinned,
    expectedDigests: [
      { digest: layer.digest, from: `the OCI manifest's layer descriptor (${pinned})` },
    ],
    signatures,
    warnings: [],
    async open() {
      const blob = await auth.open(
        `${base}/blobs/${layer.digest}`,
        `${shown}: layer ${layer.digest}`,
        {},
      );
      return { body: blob.body, size: blob.size ?? layer.size };
    },
  };
}

function pickLayer(layers: unknown, shown: string): Descriptor {
  const list = (Array.isArray(layers) ? layers : []).filter(
    (layer): layer is Descriptor =>
      typeof layer === 'object' &&
      layer !== null &&
      typeof (layer as Descriptor).mediaType === 'string' &&
      isSha256Digest((layer as Descriptor).digest),
  );
  const plugin = list.filter((layer) => layer.mediaType === PLUGIN_LAYER_MEDIA_TYPE);
  if (plugin.length === 1 && plugin[0] !== undefined) return plugin[0];
  const gzip = list.filter((layer) => /gzip$/.test(layer.mediaType));
  if (plugin.length === 0 && gzip.length === 1 && gzip[0] !== undefined) return gzip[0];
  throw new PlugboardError(
    'PACKAGE_INVALID',
    `${shown}: the OCI manifest must have exactly one layer of type ${PLUGIN_LAYER_MEDIA_TYPE} (found: ${list.map((l) => l.mediaType).join(', ') || 'no sha256 layers'}); push the plugin package as that layer`,
  );
}

function readSignatures(annotations: unknown, shown: string): ArtifactSignature[] {
  if (typeof annotations !== 'object' || annotations === null) return [];
  const text = (annotations as Record<string, unknown>)[SIGNATURES_ANNOTATION];
  return typeof text === 'string'
    ? parseSignatureDocument(text, `${shown}: annotation ${SIGNATURES_ANNOTATION}`)
    : [];
}

/** Adds credentials: Basic when configured, and a Bearer token when the registry challenges. */
class OciAuth {
  #bearer: string | undefined;

  constructor(
    private readonly reference: OciReference,
    private readonly options: OciSourceOptions,
  ) {}

  async open(
    url: string,
    subject: string,
    headers: Record<string, string>,
  ): Promise<OpenHttpResponse> {
    const request = (extra: Record<string, string>): HttpRequest => ({
      fetch: this.options.fetch,
      timeoutMs: this.options.timeoutMs,
      subject,
      headers: { ...headers, ...extra },
    });
    try {
      return await openHttp(url, request(this.#authorization()));
    } catch (error) {
      if (
        !(error instanceof PlugboardError) ||
        error.code !== 'UNAUTHENTICATED' ||
        this.#bearer !== undefined
      ) {
        throw error;
      }
      await this.#fetchToken(url, subject);
      return openHttp(url, request(this.#authorization()));
    }
  }

  #basic(): string | undefined {
    const credentials = this.options.credentials?.[this.reference.registry];
    return credentials === undefined
      ? undefined
      : `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  }

  #authorization(): Record<string, string> {
    if (this.#bearer !== undefined) return { authorization: `Bearer ${this.#bearer}` };
    const basic = this.#basic();
    return basic === undefined ? {} : { authorization: basic };
  }

  /** Asks the challenge's realm for a pull token (anonymous or with the Basic credentials). */
  async #fetchToken(url: string, subject: string): Promise<void> {
    const probe = await this.options.fetch(url, {
      method: 'GET',
      headers: { accept: MANIFEST_ACCEPT },
    });
    await probe.body?.cancel().catch(() => undefined);
    const header = probe.headers.get('www-authenticate') ?? '';
    const params = parseChallenge(header);
    if (!/^bearer\s/i.test(header) || params['realm'] === undefined) {
      throw new PlugboardError(
        'UNAUTHENTICATED',
        `${subject}: the registry wants credentials; add them under oci.credentials["${this.reference.registry}"] in the client config`,
      );
    }
    const tokenUrl = new URL(params['realm']);
    if (params['service'] !== undefined) tokenUrl.searchParams.set('service', params['service']);
    tokenUrl.searchParams.set(
      'scope',
      params['scope'] ?? `repository:${this.reference.repository}:pull`,
    );
    const basic = this.#basic();
    const answer = (await readHttpJson(tokenUrl.toString(), {
      fetch: this.options.fetch,
      timeoutMs: this.options.timeoutMs,
      subject: `${subject}: token service`,
      headers: basic === undefined ? {} : { authorization: basic },
    })) as { token?: unknown; access_token?: unknown };
    const token = typeof answer.token === 'string' ? answer.token : answer.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new PlugboardError(
        'UNAUTHENTICATED',
        `${subject}: the token service answered no token`,
      );
    }
    this.#bearer = token;
  }
}

/** `Bearer realm="…",service="…",scope="…"` → its parameters. */
function parseChallenge(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const match of header.matchAll(/([a-zA-Z]+)="([^"]*)"/g)) {
    if (match[1] !== undefined && match[2] !== undefined) params[match[1].toLowerCase()] = match[2];
  }
  return params;
}
