import type { ArtifactSignature } from '../signing/artifact-signatures.js';

/** A digest someone announced for an artifact, and who (for messages). */
export interface ExpectedDigest {
  readonly digest: string | undefined;
  readonly from: string;
}

/** An open download. */
export interface ArtifactBody {
  readonly body: AsyncIterable<Uint8Array>;
  /** Size announced by the server, for progress. */
  readonly size?: number | undefined;
  /** Digest announced with the download (`ETag`, `Digest`, an OCI layer descriptor). */
  readonly digest?: ExpectedDigest | undefined;
}

/** What a source found for a reference: where to get the bytes and what they must hash to. */
export interface ResolvedArtifact {
  /** For messages: `echo@1.2.0 from registry "local"`, `https://…/echo.tgz`. */
  readonly subject: string;
  /** The name and version the source promises (checked against the package's manifest). */
  readonly name?: string | undefined;
  readonly version?: string | undefined;
  /** A reference that fetches these exact bytes again: what the lock file records. */
  readonly source: string;
  /** Digests the downloaded bytes must match. */
  readonly expectedDigests: readonly ExpectedDigest[];
  readonly signatures: readonly ArtifactSignature[];
  readonly warnings: readonly string[];
  /** Starts the download; the caller reads the body to the end or stops early. */
  open(): Promise<ArtifactBody>;
}
