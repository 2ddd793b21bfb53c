import {
  PlugboardError,
  formatPluginReference,
  type GsReference,
  type S3Reference,
} from '@plugboard/core';

/**
 * `s3://` and `gs://` are parsed but not fetched yet: this says so with `NOT_IMPLEMENTED` and
 * what to use meanwhile, instead of failing somewhere less clear.
 */
export function refuseBucket(reference: S3Reference | GsReference): never {
  const shown = formatPluginReference(reference);
  const service = reference.kind === 's3' ? 'Amazon S3' : 'Google Cloud Storage';
  const publicUrl =
    reference.kind === 's3'
      ? `https://${reference.bucket}.s3.amazonaws.com/${reference.key}`
      : `https://storage.googleapis.com/${reference.bucket}/${reference.key}`;
  throw new PlugboardError(
    'NOT_IMPLEMENTED',
    `${shown}: installing from ${service} (${reference.kind}://) is not supported yet; for a public object install its https:// URL (${publicUrl}), or download it and install the file`,
    { details: { kind: reference.kind } },
  );
}
