import { gzipTarArchive, type TarEntrySpec } from '@plugboard/installer';

/** A plugin package (gzip tar) with a native manifest and an executable entrypoint. */
export function pluginPackage(
  name: string,
  version: string,
  extra: { manifest?: object; entries?: TarEntrySpec[] } = {},
): Buffer {
  const manifest = {
    name,
    version,
    description: `${name} for publish tests`,
    runtime: { type: 'executable', entrypoint: 'bin/run' },
    ...extra.manifest,
  };
  return gzipTarArchive([
    { path: 'manifest.json', content: JSON.stringify(manifest) },
    { path: 'bin/', type: '5' },
    { path: 'bin/run', content: `#!/bin/sh\necho ${name} ${version}\n`, mode: 0o755 },
    ...(extra.entries ?? []),
  ]);
}

/** A `multipart/form-data` body with the given parts (files as application/gzip). */
export function multipartBody(
  parts: readonly (
    | { readonly name: string; readonly file: Buffer }
    | { readonly name: string; readonly value: string }
  )[],
): { body: Buffer; contentType: string } {
  const boundary = `----plugboard${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('file' in part) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="plugin.tgz"\r\nContent-Type: application/gzip\r\n\r\n`,
        ),
        part.file,
        Buffer.from('\r\n'),
      );
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`,
        ),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
