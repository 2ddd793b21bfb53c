import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PlugboardError } from '@plugboard/core';
import { inspectPackage, type PackageLimits } from '@plugboard/installer';
import { providerKey } from '@plugboard/protocol';
import { unpackPluginPackage } from './unpack-plugin-package.js';
import { isGzip, isZip, zipToGzipTar } from './zip-to-tar.js';

/**
 * Checks an uploaded package file (gzip tar, or zip rewritten as one) with the installer's
 * inspection and unpacks it into `destination`. Returns the provider key its manifest declares,
 * or undefined when the manifest lists no capabilities (the entrypoint's `capabilities` output
 * tells then).
 */
export async function stagePluginPackage(
  file: string,
  destination: string,
  tempDir: string,
  limits: PackageLimits,
): Promise<string | undefined> {
  const head = Buffer.alloc(4);
  const handle = await open(file, 'r');
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  let tarFile = file;
  if (isZip(head)) {
    tarFile = join(tempDir, `zip-${randomBytes(6).toString('hex')}.tar.gz`);
    await writeFile(tarFile, zipToGzipTar(await readFile(file), limits));
  } else if (!isGzip(head)) {
    throw new PlugboardError(
      'PACKAGE_INVALID',
      'the upload is neither a gzip tar (.tar.gz) nor a zip archive',
    );
  }
  try {
    const inspection = await inspectPackage(createReadStream(tarFile), { limits });
    if (inspection.entrypoint === undefined) {
      throw new PlugboardError(
        'MANIFEST_INVALID',
        `${inspection.manifestPath}: runtime.entrypoint is required to run the plugin`,
        { details: { problems: [{ path: 'runtime.entrypoint', message: 'is required' }] } },
      );
    }
    await unpackPluginPackage(tarFile, inspection.root, destination, limits);
    const provider = inspection.manifest.manifest.capabilities?.find(
      (c) =>
        c.type === 'provider' &&
        typeof c.vendor === 'string' &&
        typeof c.provider_type === 'string',
    );
    return provider?.vendor === undefined || provider.provider_type === undefined
      ? undefined
      : providerKey(provider.vendor, provider.provider_type);
  } finally {
    if (tarFile !== file) await rm(tarFile, { force: true });
  }
}
