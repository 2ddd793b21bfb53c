import { shorten } from '../versions/version.js';
import {
  hasControlCharacter,
  referenceError,
  utf8Length,
  type GsReference,
  type S3Reference,
} from './plugin-reference.js';

/** Longest object key (S3) or object name (GCS), in UTF-8 bytes. */
export const MAX_OBJECT_KEY_BYTES = 1024;

const IPV4_REGEXP = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * Amazon S3 general purpose bucket naming rules: 3-63 characters of lower-case letters, digits,
 * "." and "-", starting and ending with a letter or digit, no "..", not an IP address, and not
 * using the prefixes and suffixes AWS reserves.
 */
export function s3BucketProblem(bucket: string): string | undefined {
  if (bucket.length < 3 || bucket.length > 63)
    return `bucket "${shorten(bucket)}" is not 3 to 63 characters`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(bucket)) {
    return `bucket "${shorten(bucket)}" is not lower-case letters, digits, "." and "-", starting and ending with a letter or digit`;
  }
  if (bucket.includes('..')) return `bucket "${shorten(bucket)}" has two adjacent periods`;
  if (IPV4_REGEXP.test(bucket)) return `bucket "${shorten(bucket)}" looks like an IP address`;
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) {
    if (bucket.startsWith(prefix)) return `bucket names may not start with "${prefix}"`;
  }
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) {
    if (bucket.endsWith(suffix)) return `bucket names may not end with "${suffix}"`;
  }
  return undefined;
}

/**
 * Google Cloud Storage bucket naming rules: lower-case letters, digits, "-", "_" and ".",
 * starting and ending with a letter or digit; 3-63 characters, or up to 222 when dotted with
 * each dot-separated part at most 63; not an IP address; not starting with "goog" nor
 * containing "google" (or "g00gle").
 */
export function gsBucketProblem(bucket: string): string | undefined {
  const max = bucket.includes('.') ? 222 : 63;
  if (bucket.length < 3 || bucket.length > max) {
    return `bucket "${shorten(bucket)}" is not 3 to ${max} characters`;
  }
  if (!/^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(bucket)) {
    return `bucket "${shorten(bucket)}" is not lower-case letters, digits, "-", "_" and ".", starting and ending with a letter or digit`;
  }
  if (bucket.split('.').some((part) => part.length === 0 || part.length > 63)) {
    return `bucket "${shorten(bucket)}" has an empty or longer than 63 character part between dots`;
  }
  if (IPV4_REGEXP.test(bucket)) return `bucket "${shorten(bucket)}" looks like an IP address`;
  if (bucket.startsWith('goog')) return 'bucket names may not start with "goog"';
  if (bucket.includes('google') || bucket.includes('g00gle')) {
    return 'bucket names may not contain "google"';
  }
  return undefined;
}

function keyProblem(key: string, service: 's3' | 'gs'): string | undefined {
  if (key === '') return 'the object key after the bucket is missing';
  if (utf8Length(key) > MAX_OBJECT_KEY_BYTES) {
    return `the object key is longer than ${MAX_OBJECT_KEY_BYTES} UTF-8 bytes`;
  }
  if (hasControlCharacter(key)) return 'the object key holds a control character';
  if (service === 'gs') {
    if (key === '.' || key === '..') return 'a GCS object may not be named "." or ".."';
    if (key.startsWith('.well-known/acme-challenge/')) {
      return 'GCS object names may not start with ".well-known/acme-challenge/"';
    }
  }
  return undefined;
}

function splitBucketKey(text: string, scheme: 's3' | 'gs'): { bucket: string; key: string } {
  const rest = text.slice(`${scheme}://`.length);
  const slash = rest.indexOf('/');
  return slash < 0
    ? { bucket: rest, key: '' }
    : { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

/** Parses `s3://bucket/key`; the key is kept as written (S3 keys are not percent-encoded). */
export function parseS3Reference(text: string): S3Reference {
  const { bucket, key } = splitBucketKey(text, 's3');
  const problem = s3BucketProblem(bucket) ?? keyProblem(key, 's3');
  if (problem !== undefined) {
    throw referenceError(text, problem, 's3://bucket/key', { kind: 's3' });
  }
  return { kind: 's3', bucket, key };
}

/** Parses `gs://bucket/object`; the object name is kept as written. */
export function parseGsReference(text: string): GsReference {
  const { bucket, key } = splitBucketKey(text, 'gs');
  const problem = gsBucketProblem(bucket) ?? keyProblem(key, 'gs');
  if (problem !== undefined) {
    throw referenceError(text, problem, 'gs://bucket/object', { kind: 'gs' });
  }
  return { kind: 'gs', bucket, key };
}

/** Writes `s3://bucket/key` or `gs://bucket/key`. */
export function formatBucketReference(ref: S3Reference | GsReference): string {
  return `${ref.kind}://${ref.bucket}/${ref.key}`;
}
