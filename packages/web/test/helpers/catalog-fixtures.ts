import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipTarArchive } from '@plugboard/installer';

/** Providers, types and labels the fixture catalog cycles through. */
export const FIXTURE_PROVIDERS = ['aws', 'gcp', 'azure'] as const;
const TYPES = ['inventory.Collector', 'notification.Protocol', 'cost_source'] as const;
const LABELS = ['Compute', 'Storage', 'Network', 'Billing'] as const;

/**
 * Writes `count` native manifests (`fixture-<provider>-<nn>`) into `folder`, a MANAGED
 * repository for the catalog tests; returns their names.
 */
export function writeManagedCatalog(folder: string, count: number): string[] {
  mkdirSync(folder, { recursive: true });
  const names: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const provider = FIXTURE_PROVIDERS[index % FIXTURE_PROVIDERS.length] ?? 'aws';
    const name = `fixture-${provider}-${String(index).padStart(2, '0')}`;
    names.push(name);
    const manifest = {
      name,
      display_name: `Fixture ${provider.toUpperCase()} ${index}`,
      version: `1.${index}.0`,
      description: `A ${provider} fixture plugin number ${index}.`,
      type: TYPES[index % TYPES.length],
      providers: [provider],
      labels: [LABELS[index % LABELS.length]],
      capabilities: [{ type: TYPES[index % TYPES.length], endpoints: ['run'] }],
    };
    writeFileSync(join(folder, `${name}.json`), JSON.stringify(manifest, null, 2));
  }
  return names;
}

/** A plugin package (gzip tar holding `manifest.json`) for `POST /publish`. */
export function pluginPackage(manifest: Record<string, unknown>, extraBytes = 0): Buffer {
  return gzipTarArchive([
    { path: 'manifest.json', content: JSON.stringify(manifest, null, 2) },
    // Incompressible filler, to make an upload long enough to show progress.
    ...(extraBytes > 0 ? [{ path: 'data.bin', content: randomish(extraBytes) }] : []),
  ]);
}

function randomish(size: number): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update('seed').digest();
  for (let offset = 0; offset < size; offset += block.length) {
    block.copy(out, offset);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/** `sha256:<hex>` of bytes, the digest string publish signatures sign. */
export function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** An Ed25519 signature of the package's digest string by a fresh key, as the API takes it. */
export function signPackage(
  bytes: Uint8Array,
  keyId: string,
): { key_id: string; signature: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    key_id: keyId,
    signature: sign(null, Buffer.from(digestOf(bytes)), privateKey).toString('base64'),
  };
}
