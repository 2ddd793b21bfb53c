/** The protocol this package describes; plugins and hosts exchange it in every document. */
export const PROTOCOL_VERSION = 'plugboard/1';

/** The type of `PROTOCOL_VERSION`. */
export type ProtocolVersion = typeof PROTOCOL_VERSION;

/** Environment variable the host sets for a plugin it starts: `PLUGBOARD_PROTOCOL=plugboard/1`. */
export const PROTOCOL_ENV_VAR = 'PLUGBOARD_PROTOCOL';

/**
 * Checks a `protocol` field. A different `plugboard/N` is a version mismatch, anything else is not
 * plugboard at all; both messages say what was found and what was expected.
 */
export function protocolMismatch(value: unknown): string | undefined {
  if (value === PROTOCOL_VERSION) return undefined;
  if (typeof value === 'string' && value.startsWith('plugboard/')) {
    return `speaks ${value}, but only ${PROTOCOL_VERSION} is supported`;
  }
  if (value === undefined) return `is required (expected "${PROTOCOL_VERSION}")`;
  return `must be "${PROTOCOL_VERSION}", got ${JSON.stringify(value) ?? typeof value}`;
}
