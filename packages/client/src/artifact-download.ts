import type { CallControl } from './transport/call-control.js';

/**
 * A plugin artifact being downloaded. The body is streamed, never held whole in memory. The client
 * does not verify `digest` (hashing a stream needs platform APIs): store the bytes with a check,
 * e.g. `blobStore.put(download.body, { expectedDigest })`, before trusting them.
 */
export interface ArtifactDownload {
  /** The `sha256:…` digest the registry announced (`ETag` or `Digest` header); undefined when none. */
  readonly digest: string | undefined;
  /** `Content-Length`, when the registry sent it. */
  readonly size: number | undefined;
  readonly mediaType: string;
  /** The bytes; iterate once. Leaving the loop early cancels the download. */
  readonly body: AsyncIterable<Uint8Array>;
  /** Stops the download without reading the rest (needed only when `body` is never iterated). */
  cancel(): Promise<void>;
}

/** A digest as Plugboard writes it. */
const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Media type assumed when a registry sends none. */
export const DEFAULT_ARTIFACT_MEDIA_TYPE = 'application/octet-stream';

/** Wraps an open artifact response; each chunk restarts the call's timeout (an idle timeout). */
export function artifactDownload(response: Response, control: CallControl): ArtifactDownload {
  const stream = response.body;
  const reader = stream?.getReader();
  let finished = false;
  const finish = async (cancel: boolean): Promise<void> => {
    if (finished) return;
    finished = true;
    control.dispose();
    if (cancel) await reader?.cancel().catch(() => undefined);
  };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    if (reader === undefined) {
      await finish(false);
      return;
    }
    let complete = false;
    try {
      for (;;) {
        control.restartTimer();
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await reader.read();
        } catch (error) {
          throw control.failure(error);
        }
        if (next.done) break;
        yield next.value;
      }
      complete = true;
    } finally {
      await finish(!complete);
    }
  }
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  return {
    digest: announcedDigest(response.headers),
    size: Number.isSafeInteger(length) && length >= 0 ? length : undefined,
    mediaType: response.headers.get('content-type') ?? DEFAULT_ARTIFACT_MEDIA_TYPE,
    body: { [Symbol.asyncIterator]: chunks },
    cancel: () => finish(true),
  };
}

/**
 * The digest a registry announced: `ETag: "sha256:…"` (Plugboard's own form) or
 * `Digest: sha-256=<base64>` (RFC 3230); undefined when neither is a sha256 digest.
 */
export function announcedDigest(headers: Headers): string | undefined {
  const etag = headers.get('etag')?.replace(/^W\//, '').replace(/^"|"$/g, '');
  if (etag !== undefined && SHA256_DIGEST.test(etag)) return etag;
  const digestHeader = headers.get('digest') ?? '';
  for (const part of digestHeader.split(',')) {
    const match = /^\s*sha-256=(.+?)\s*$/i.exec(part);
    if (match?.[1] === undefined) continue;
    const hex = base64ToHex(match[1].replace(/^:|:$/g, ''));
    if (hex !== undefined && hex.length === 64) return `sha256:${hex}`;
  }
  return undefined;
}

function base64ToHex(base64: string): string | undefined {
  try {
    let hex = '';
    for (const char of atob(base64)) hex += char.charCodeAt(0).toString(16).padStart(2, '0');
    return hex;
  } catch {
    return undefined;
  }
}
