import { sign, verify, type KeyObject } from 'node:crypto';
import { PlugboardError } from '@plugboard/core';

/** A signature over an artifact's digest string (Ed25519, base64), as the registry stores it. */
export interface ArtifactSignature {
  readonly key_id: string;
  readonly signature: string;
}

/** A public key the installer trusts. */
export interface TrustedKey {
  readonly keyId: string;
  readonly key: KeyObject;
}

/** Which signatures the installer asks for. */
export interface TrustPolicy {
  readonly keys: readonly TrustedKey[];
  /** Refuse artifacts without a valid signature by a trusted key. */
  readonly requireSignatures: boolean;
}

/** A policy that trusts nobody and requires nothing. */
export const NO_TRUST: TrustPolicy = Object.freeze({ keys: [], requireSignatures: false });

/** What signature checking concluded. */
export interface SignatureVerdict {
  /** The trusted key whose signature verified; undefined when none did (allowed by the policy). */
  readonly keyId: string | undefined;
  /** Signatures that could not be checked (unknown keys), for the user to hear about. */
  readonly warnings: readonly string[];
}

/**
 * Signs a digest string (`sha256:<hex>`, as UTF-8) with an Ed25519 private key: the form the
 * registry stores and `verifyArtifactSignatures` checks.
 */
export function signDigest(
  digest: string,
  privateKey: KeyObject,
  keyId: string,
): ArtifactSignature {
  return {
    key_id: keyId,
    signature: sign(null, Buffer.from(digest, 'utf8'), privateKey).toString('base64'),
  };
}

/**
 * Checks an artifact's signatures against the trust policy. A signature by a trusted key that does
 * not verify is always refused (someone tampered with the artifact or the signature). With
 * `requireSignatures`, an artifact without a verifying signature by a trusted key is refused too.
 * Signatures by keys the policy does not know are reported as warnings. Throws `SIGNATURE_INVALID`.
 */
export function verifyArtifactSignatures(
  subject: string,
  digest: string,
  signatures: readonly ArtifactSignature[],
  policy: TrustPolicy,
): SignatureVerdict {
  const warnings: string[] = [];
  let verifiedBy: string | undefined;
  for (const signature of signatures) {
    const trusted = policy.keys.find((key) => key.keyId === signature.key_id);
    if (trusted === undefined) {
      warnings.push(`${subject}: signed by key "${signature.key_id}", which is not in trust.keys`);
      continue;
    }
    if (!verifies(digest, signature.signature, trusted.key)) {
      throw new PlugboardError(
        'SIGNATURE_INVALID',
        `${subject}: the signature by trusted key "${signature.key_id}" does not verify against ${digest}; the artifact or its signature was altered — nothing was installed`,
        { details: { key_id: signature.key_id, digest } },
      );
    }
    verifiedBy ??= signature.key_id;
  }
  if (verifiedBy === undefined && policy.requireSignatures) {
    const why =
      signatures.length === 0
        ? 'it is not signed'
        : `it is signed only by keys not in trust.keys (${signatures.map((s) => `"${s.key_id}"`).join(', ')})`;
    throw new PlugboardError(
      'SIGNATURE_INVALID',
      `${subject}: trust.require_signatures is on and ${why}; ask the publisher to sign it ("plugboard publish --sign KEY"), or add their public key to trust.keys`,
      { details: { digest, key_ids: signatures.map((s) => s.key_id) } },
    );
  }
  return { keyId: verifiedBy, warnings };
}

function verifies(digest: string, signatureBase64: string, key: KeyObject): boolean {
  try {
    const signature = Buffer.from(signatureBase64, 'base64');
    return verify(null, Buffer.from(digest, 'utf8'), key, signature);
  } catch {
    return false;
  }
}
