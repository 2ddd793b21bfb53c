import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { PlugboardError } from '@plugboard/core';

/** Length of a raw Ed25519 public key, in bytes. */
const ED25519_PUBLIC_KEY_BYTES = 32;
/** DER prefix of an Ed25519 SubjectPublicKeyInfo, before the 32 raw key bytes (RFC 8410). */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Key ids the registry accepts (same rule as the server's). */
export const KEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@/+-]{0,199}$/;

/** A freshly generated signing key. */
export interface GeneratedSigningKey {
  readonly keyId: string;
  /** PKCS#8 PEM; keep it secret. */
  readonly privateKeyPem: string;
  /** Base64 of the 32 raw public key bytes: what `trust.keys[].public_key` takes. */
  readonly publicKey: string;
}

/**
 * Generates an Ed25519 key pair. Without an id, the id is `ed25519:` and the first 16 hex digits
 * of the public key's sha256, so two people never pick the same id by accident.
 *
 * @example
 * const key = generateSigningKey('release-2026');
 */
export function generateSigningKey(keyId?: string): GeneratedSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(publicKey);
  const id = keyId ?? defaultKeyId(raw);
  checkKeyId(id);
  return {
    keyId: id,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: raw.toString('base64'),
  };
}

/** `ed25519:<16 hex>` from a raw public key. */
export function defaultKeyId(rawPublicKeyBytes: Uint8Array): string {
  return `ed25519:${createHash('sha256').update(rawPublicKeyBytes).digest('hex').slice(0, 16)}`;
}

/** Throws `INVALID_ARGUMENT` unless `keyId` is a valid key id. */
export function checkKeyId(keyId: string): void {
  if (!KEY_ID_PATTERN.test(keyId)) {
    throw new PlugboardError(
      'INVALID_ARGUMENT',
      `key id ${JSON.stringify(keyId.slice(0, 80))} must start with a letter or digit and hold only letters, digits and . _ : @ / + - (at most 200 characters)`,
      { details: { field: 'key_id' } },
    );
  }
}

/** The 32 raw bytes of an Ed25519 public key. */
export function rawPublicKey(key: KeyObject): Buffer {
  const der = key.export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - ED25519_PUBLIC_KEY_BYTES);
}

/**
 * Reads an Ed25519 public key given as PEM (SPKI) or as the base64 of its 32 raw bytes (the forms
 * the registry server takes too). Throws `CONFIG_INVALID` naming `where`.
 */
export function parsePublicKey(text: string, where: string): KeyObject {
  try {
    const trimmed = text.trim();
    const key = trimmed.startsWith('-----BEGIN')
      ? createPublicKey(trimmed)
      : createPublicKey({
          key: Buffer.concat([ED25519_SPKI_PREFIX, rawKeyBytes(trimmed)]),
          format: 'der',
          type: 'spki',
        });
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
    return key;
  } catch (cause) {
    throw new PlugboardError(
      'CONFIG_INVALID',
      `${where} is not an Ed25519 public key (PEM, or base64 of 32 bytes as "plugboard keys generate" prints)`,
      { cause },
    );
  }
}

/** Reads an Ed25519 private key (PKCS#8 PEM). Throws `INVALID_ARGUMENT` naming `where`. */
export function parsePrivateKey(pem: string, where: string): KeyObject {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
    return key;
  } catch (cause) {
    throw new PlugboardError(
      'INVALID_ARGUMENT',
      `${where} is not an Ed25519 private key in PEM form (make one with "plugboard keys generate")`,
      { cause },
    );
  }
}

function rawKeyBytes(base64: string): Buffer {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new Error('not base64');
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length !== ED25519_PUBLIC_KEY_BYTES) throw new Error('wrong length');
  return bytes;
}
