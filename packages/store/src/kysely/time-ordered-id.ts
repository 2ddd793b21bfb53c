import { randomUUID } from 'node:crypto';

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Rows inserted in
 * bulk get ids that sort by time, so primary-key inserts land at the end of the index instead of
 * at random pages (random UUIDs make large ingests slow down as the table grows). The random part
 * comes from `randomUUID`, which draws on a cached entropy pool (much cheaper per id than
 * `randomBytes`).
 */
export function timeOrderedId(now = Date.now()): string {
  const time = now.toString(16).padStart(12, '0').slice(-12);
  const random = randomUUID();
  // randomUUID is xxxxxxxx-xxxx-4xxx-Nxxx-xxxxxxxxxxxx: keep its variant nibble and random tail.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}
