import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PlugboardError } from '@plugboard/core';

/** File in the data folder holding the generated key when none is configured. */
export const SECRET_KEY_FILE = 'secret.key';

/** Bytes of an AES-256 key. */
const KEY_BYTES = 32;
/** Bytes of a GCM nonce (96 bits, as NIST recommends). */
const IV_BYTES = 12;
/** Bytes of a GCM authentication tag. */
const TAG_BYTES = 16;
/** Prefix of every ciphertext this version writes, so the format can change later. */
const FORMAT_PREFIX = 'v1:';
/** Shortest configured key text accepted when it is not 32 raw bytes. */
const MIN_PASSPHRASE_CHARS = 16;

/**
 * Encrypts and decrypts small secrets (a provider's secret connection parameters, a REMOTE
 * repository's token) with AES-256-GCM. Each ciphertext is bound to a context string (the
 * provider id, the repository) through the GCM additional data, so a ciphertext copied to another
 * record does not decrypt.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== KEY_BYTES) {
      throw new PlugboardError('CONFIG_INVALID', `the secret key must be ${KEY_BYTES} bytes`);
    }
    this.#key = key;
  }

  /** `v1:` + base64(iv ‖ tag ‖ ciphertext) of the JSON of `value`. */
  seal(value: unknown, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return FORMAT_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** The value `seal` was given; `INTERNAL` (never the text) when it does not decrypt. */
  open(sealed: string, context: string): unknown {
    const failure = () =>
      new PlugboardError(
        'INTERNAL',
        'stored secrets cannot be decrypted: the secret key changed or the record was altered',
        { details: { context } },
      );
    if (!sealed.startsWith(FORMAT_PREFIX)) throw failure();
    const bytes = Buffer.from(sealed.slice(FORMAT_PREFIX.length), 'base64');
    if (bytes.length < IV_BYTES + TAG_BYTES) throw failure();
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const text = Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
      return JSON.parse(text) as unknown;
    } catch (cause) {
      throw new PlugboardError('INTERNAL', failure().message, { cause, details: { context } });
    }
  }
}

/**
 * The key from configured text: 64 hex digits or base64 of 32 bytes are used as they are; any
 * other text of at least 16 characters is stretched with HKDF-SHA256 (its `provider-secrets` info
 * string predates the other uses and stays, so existing ciphertexts keep decrypting).
 */
export function keyFromText(text: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(trimmed)) {
    const decoded = Buffer.from(trimmed, 'base64');
    if (decoded.length === KEY_BYTES) return decoded;
  }
  if (trimmed.length < MIN_PASSPHRASE_CHARS) {
    // The message names the setting, never the value.
    throw new PlugboardError(
      'CONFIG_INVALID',
      `secret_key must be 64 hex digits, base64 of 32 bytes, or at least ${MIN_PASSPHRASE_CHARS} characters`,
      { details: { problems: [{ path: 'secret_key', message: 'is too short' }] } },
    );
  }
  return Buffer.from(
    hkdfSync('sha256', Buffer.from(trimmed, 'utf8'), 'plugboard', 'provider-secrets', KEY_BYTES),
  );
}

/**
 * The key to encrypt secrets with: the configured one (`secret_key` / `PLUGBOARD_SECRET_KEY`), else
 * the one in `<dataDir>/secret.key`, generated there (mode 0600) on first use. Several replicas
 * starting together on one data folder agree: the file is created exclusively and re-read.
 */
export async function loadSecretKey(
  configured: string | undefined,
  dataDir: string,
): Promise<Buffer> {
  if (configured !== undefined) return keyFromText(configured);
  const path = join(dataDir, SECRET_KEY_FILE);
  const generated = randomBytes(KEY_BYTES).toString('base64');
  // Written whole to a temp file, then linked into place: link fails if the file exists, so a
  // replica starting at the same moment never reads a half-written key.
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${generated}\n`, { mode: 0o600, flag: 'wx' });
    await link(temp, path).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    });
  } catch (cause) {
    throw new PlugboardError('UNAVAILABLE', `cannot write the secret key file ${path}`, { cause });
  } finally {
    await rm(temp, { force: true });
  }
  const text = await readFile(path, 'utf8').catch((cause: unknown) => {
    throw new PlugboardError('UNAVAILABLE', `cannot read the secret key file ${path}`, { cause });
  });
  return keyFromText(text);
}
