import { verify, type KeyObject } from 'node:crypto';
import { PlugboardError } from '@plugboard/core';
import { KEY_ID_PATTERN } from '@plugboard/installer';
import type { VersionSignature } from '@plugboard/store';

/** Signatures on one publish at most. */
export const MAX_SIGNATURES = 8;
/** Length of an Ed25519 signature, in bytes. */
const ED25519_SIGNATURE_BYTES = 64;

const BASE64_PATTERN = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Public keys the server trusts, by key id. */
export type TrustedKeys = ReadonlyMap<string, KeyObject>;

/**
 * Parses the signatures a publisher sent (`X-Plugboard-Signature` header or `signature` multipart
 * field): a JSON object `{key_id, signature}` or a list of them, the signature the base64 of an
 * Ed25519 signature (64 bytes). Throws `SIGNATURE_INVALID` naming what is wrong.
 */
export function parseSignatures(text: string, source: string): VersionSignature[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new PlugboardError(
      'SIGNATURE_INVALID',
      `${source} must be JSON: {"key_id": "...", "signature": "<base64>"} or a list of them`,
      { cause },
    );
  }
  const list = Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
  if (list.length === 0 || list.length > MAX_SIGNATURES) {
    throw new PlugboardError(
      'SIGNATURE_INVALID',
      `${source} must hold 1 to ${MAX_SIGNATURES} signatures`,
    );
  }
  return list.map((item, index) =>
    signatureOf(item, list.length === 1 ? source : `${source}[${index}]`),
  );
}

function signatureOf(item: unknown, where: string): VersionSignature {
  const record = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
  const keyId = record['key_id'];
  const signature = record['signature'];
  if (typeof keyId !== 'string' || !KEY_ID_PATTERN.test(keyId)) {
    throw new PlugboardError(
      'SIGNATURE_INVALID',
      `${where}.key_id must be 1 to 200 letters, digits or ._:@/+- (starting with a letter or digit)`,
      { details: { path: `${where}.key_id` } },
    );
  }
  if (
    typeof signature !== 'string' ||
    !BASE64_PATTERN.test(signature) ||
    Buffer.from(signature, 'base64').length !== ED25519_SIGNATURE_BYTES
  ) {
    throw new PlugboardError(
      'SIGNATURE_INVALID',
      `${where}.signature must be the base64 of a ${ED25519_SIGNATURE_BYTES}-byte Ed25519 signature`,
      { details: { path: `${where}.signature`, key_id: keyId } },
    );
  }
  return { keyId, signature };
}

/**
 * With trusted keys configured, every signature must come from one of them and verify over the
 * digest string (`sha256:<hex>`); without any, signatures are stored as sent and trust is left to
 * the installer. Throws `SIGNATURE_INVALID` naming the key id.
 */
export function checkSignatures(
  digest: string,
  signatures: readonly VersionSignature[],
  trustedKeys: TrustedKeys,
): void {
  if (trustedKeys.size === 0) return;
  for (const { keyId, signature } of signatures) {
    const key = trustedKeys.get(keyId);
    if (key === undefined) {
      throw new PlugboardError(
        'SIGNATURE_INVALID',
        `signature key "${keyId}" is not one of the server's trusted keys`,
        { details: { key_id: keyId } },
      );
    }
    if (!verify(null, Buffer.from(digest, 'utf8'), key, Buffer.from(signature, 'base64'))) {
      throw new PlugboardError(
        'SIGNATURE_INVALID',
        `the signature by "${keyId}" does not verify over ${digest}`,
        { details: { key_id: keyId, digest } },
      );
    }
  }
}
