import { gzipTarArchive } from '@plugboard/installer';
import { loadServerConfig, startServer, type RunningServer } from '@plugboard/server';
import { makeTempDir } from '@plugboard/test-support';

/** The admin token of the test server (`PLUGBOARD_ADMIN_TOKEN`). */
export const ADMIN_TOKEN = 'pb_client-inventory-admin-token-0123456789';

/** The password the SDK's example provider accepts by default. */
export const EXAMPLE_PASSWORD = 'example-password';

/** A real Plugboard server (the composition root `plugboard serve` uses) over a temp folder. */
export interface PlugboardServer {
  readonly server: RunningServer;
  /** `http://127.0.0.1:<port>/api/v1` */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the real server on 127.0.0.1, port 0, with an admin token and silent logs. */
export async function startPlugboardServer(): Promise<PlugboardServer> {
  const dir = makeTempDir('plugboard-client-');
  const config = await loadServerConfig(
    { data: dir.path, port: '0', host: '127.0.0.1' },
    { PLUGBOARD_ADMIN_TOKEN: ADMIN_TOKEN, PLUGBOARD_LOG_LEVEL: 'silent' },
    dir.path,
  );
  const server = await startServer(config);
  return {
    server,
    url: `${server.origin}/api/v1`,
    async close() {
      await server.close();
      dir.remove();
    },
  };
}

/**
 * The SDK's example provider (`example:static`) as an uploadable tar.gz: a manifest declaring its
 * connection parameters (a secret `password`) and a `main.js` serving the SDK's example
 * definition from this repository's build. `version` tells uploads apart.
 */
export function exampleProviderPackage(version = '0.1.0'): Buffer {
  const sdk = import.meta.resolve('@plugboard/sdk');
  const definition = new URL('../examples/provider-definition.js', sdk).href;
  const manifest = {
    name: 'example-provider',
    version,
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
      { name: 'count', type: 'integer', default: 3 },
      { name: 'hosts', type: 'integer', default: 1 },
      { name: 'interval_ms', type: 'integer', default: 0 },
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
