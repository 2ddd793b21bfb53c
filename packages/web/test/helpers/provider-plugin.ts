import { gzipTarArchive } from '@plugboard/installer';

/** The password the SDK's example provider accepts by default. */
export const EXAMPLE_PASSWORD = 'example-password';

/**
 * The SDK's example provider (`example:static`) as an uploadable package: a manifest declaring
 * its connection parameters (a secret `password`) and a `main.js` serving the SDK's example
 * definition from this repository's build.
 */
export function exampleProviderPackage(): Buffer {
  const sdk = import.meta.resolve('@plugboard/sdk');
  const definition = new URL('../examples/provider-definition.js', sdk).href;
  const manifest = {
    name: 'example-provider',
    version: '0.1.0',
    description: 'The SDK provider example',
    capabilities: [
      {
        type: 'provider',
        endpoints: ['connect', 'collect', 'disconnect', 'validate_connection'],
        vendor: 'example',
        provider_type: 'static',
        resource_types: ['hypervisor_host', 'virtual_machine'],
      },
    ],
    connection_parameters: [
      { name: 'password', type: 'string', required: true, secret: true },
      { name: 'count', type: 'integer', default: 3, description: 'virtual machines to report' },
      { name: 'hosts', type: 'integer', default: 1 },
      { name: 'interval_ms', type: 'integer', default: 0 },
      { name: 'verify_ssl', type: 'boolean' },
    ],
    runtime: { type: 'node', entrypoint: 'main.js' },
  };
  const main = [
    `import { servePlugin } from ${JSON.stringify(sdk)};`,
    `import provider from ${JSON.stringify(definition)};`,
    'await servePlugin(provider);',
    '',
  ].join('\n');
  return gzipTarArchive([
    { path: 'manifest.json', content: JSON.stringify(manifest, null, 2) },
    { path: 'main.js', content: main, mode: 0o755 },
  ]);
}
