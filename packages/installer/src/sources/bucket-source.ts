import {
  formatPluginReference,
  isPlugboardError,
  type GsReference,
  type S3Reference,
} from '@plugboard/core';
import type { ArtifactSignature } from '../signing/artifact-signatures.js';
import { collect, openHttp, type HttpRequest, type InstallerFetch } from './http-fetch.js';
import type { ResolvedArtifact } from './resolved-artifact.js';
import { encodeObjectKey, signS3Request, type S3Credentials } from './s3-signature.js';
import { parseSignatureDocument } from './signature-sidecar.js';

/** Google Cloud Storage's XML/download endpoint. */
export const DEFAULT_GCS_ENDPOINT = 'https://storage.googleapis.com';
/** The region S3 requests are signed for when none is configured. */
export const DEFAULT_S3_REGION = 'us-east-1';

/** Where and how to reach S3 (or an S3-compatible store such as MinIO). */
export interface S3SourceOptions {
  /** `https://minio.lan:9000`: path-style URLs below it. Default: AWS, virtual-hosted. */
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
  /** Without credentials requests are anonymous (public objects). */
  readonly credentials?: S3Credentials | undefined;
}

/** Where and how to reach Google Cloud Storage. */
export interface GsSourceOptions {
  readonly endpoint?: string | undefined;
  /** An OAuth access token, sent as `Authorization: Bearer`; anonymous without. */
  readonly token?: string | undefined;
}

/** What bucket sources need besides their own options. */
export interface BucketTransport {
  readonly fetch: InstallerFetch;
  readonly timeoutMs: number;
}

/**
 * An `s3://bucket/key` reference through S3's HTTP API: virtual-hosted AWS URLs, or path-style
 * below a configured endpoint; requests are signed with SigV4 when credentials are configured.
 * `<key>.sig` next to the object holds signatures. The lock file pins the digest.
 */
export async function resolveS3(
  reference: S3Reference,
  options: S3SourceOptions,
  transport: BucketTransport,
): Promise<ResolvedArtifact> {
  const region = options.region ?? DEFAULT_S3_REGION;
  const urlOf = (key: string): URL =>
    options.endpoint === undefined
      ? new URL(`https://${reference.bucket}.s3.${region}.amazonaws.com/${encodeObjectKey(key)}`)
      : new URL(
          `${options.endpoint.replace(/\/+$/, '')}/${reference.bucket}/${encodeObjectKey(key)}`,
        );
  const headersFor = (url: URL): Record<string, string> =>
    options.credentials === undefined
      ? {}
      : signS3Request({
          method: 'GET',
          url,
          headers: {},
          region,
          date: new Date(),
          credentials: options.credentials,
        });
  return bucketArtifact(reference, transport, (key) => {
    const url = urlOf(key);
    return { url: url.toString(), headers: headersFor(url) };
  });
}

/**
 * A `gs://bucket/key` reference through Cloud Storage's download URLs
 * (`<endpoint>/<bucket>/<key>`), with a bearer token when configured. `<key>.sig` holds signatures.
 */
export async function resolveGs(
  reference: GsReference,
  options: GsSourceOptions,
  transport: BucketTransport,
): Promise<ResolvedArtifact> {
  const endpoint = (options.endpoint ?? DEFAULT_GCS_ENDPOINT).replace(/\/+$/, '');
  return bucketArtifact(reference, transport, (key) => ({
    url: `${endpoint}/${reference.bucket}/${encodeObjectKey(key)}`,
    headers: bearer(options.token),
  }));
}

async function bucketArtifact(
  reference: S3Reference | GsReference,
  transport: BucketTransport,
  locate: (key: string) => { url: string; headers: Record<string, string> },
): Promise<ResolvedArtifact> {
  const shown = formatPluginReference(reference);
  const request = (subject: string, headers: Record<string, string>): HttpRequest => ({
    fetch: transport.fetch,
    timeoutMs: transport.timeoutMs,
    subject,
    headers,
  });
  const signatures = await readSidecar(reference.key, shown, locate, request);
  return {
    subject: shown,
    source: shown,
    expectedDigests: [],
    signatures,
    warnings: [],
    async open() {
      const object = locate(reference.key);
      const opened = await openHttp(object.url, request(shown, object.headers));
      return { body: opened.body, size: opened.size };
    },
  };
}

async function readSidecar(
  key: string,
  shown: string,
  locate: (key: string) => { url: string; headers: Record<string, string> },
  request: (subject: string, headers: Record<string, string>) => HttpRequest,
): Promise<ArtifactSignature[]> {
  const sidecar = locate(`${key}.sig`);
  try {
    const opened = await openHttp(sidecar.url, request(`${shown}.sig`, sidecar.headers));
    return parseSignatureDocument(
      (await collect(opened.body, `${shown}.sig`)).toString('utf8'),
      `${shown}.sig`,
    );
  } catch (error) {
    // Buckets answer 403 rather than 404 for a missing object the caller may not list.
    if (isPlugboardError(error, 'NOT_FOUND') || isPlugboardError(error, 'FORBIDDEN')) return [];
    throw error;
  }
}

function bearer(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}
