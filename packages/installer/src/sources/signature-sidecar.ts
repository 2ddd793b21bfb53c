import { PlugboardError, isPlugboardError } from '@plugboard/core';
import type { ArtifactSignature } from '../signing/artifact-signatures.js';
import { readHttpText, type HttpRequest } from './http-fetch.js';

/** Signatures per artifact at most, as the registry allows. */
const MAX_SIGNATURES = 8;

/**
 * Reads signatures written as `{"key_id","signature"}` or a list of them (the registry's
 * `X-Plugboard-Signature` form, also used for `<package>.sig` files next to a package).
 * Throws `SIGNATURE_INVALID` naming `where`.
 */
export function parseSignatureDocument(text: string, where: string): ArtifactSignature[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new PlugboardError(
      'SIGNATURE_INVALID',
      `${where} must be JSON: {"key_id": "...", "signature": "<base64>"} or a list of them`,
      { cause },
    );
  }
  const list = Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
  if (list.length > MAX_SIGNATURES) {
    throw new PlugboardError(
      'SIGNATURE_INVALID',
      `${where} holds more than ${MAX_SIGNATURES} signatures`,
    );
  }
  return list.map((item, index) => {
    const record = (typeof item === 'object' && item !== null ? item : {}) as Record<
      string,
      unknown
    >;
    const keyId = record['key_id'];
    const signature = record['signature'];
    if (typeof keyId !== 'string' || typeof signature !== 'string') {
      throw new PlugboardError(
        'SIGNATURE_INVALID',
        `${where}[${index}] must have string "key_id" and "signature" fields`,
      );
    }
    return { key_id: keyId, signature };
  });
}

/** Signatures from `<url>.sig` when the server has that file; none when it answers 404. */
export async function fetchSignatureSidecar(
  url: string,
  request: HttpRequest,
): Promise<ArtifactSignature[]> {
  const sidecar = `${url}.sig`;
  try {
    const { text } = await readHttpText(sidecar, {
      ...request,
      subject: `${request.subject} (.sig)`,
    });
    return parseSignatureDocument(text, sidecar);
  } catch (error) {
    if (isPlugboardError(error, 'NOT_FOUND')) return [];
    throw error;
  }
}
