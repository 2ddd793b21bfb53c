import { setTimeout as sleep } from 'node:timers/promises';
import { definePlugin, PluginError, type HandlerContext } from '@plugboard/sdk';
import { defineProvider } from '@plugboard/sdk/provider';
import { type ProviderConnection, type ResourceData } from '@plugboard/protocol';

/** Password accepted when the plugin configuration does not set one. */
export const EXAMPLE_PASSWORD = 'example-password';

interface StaticClient {
  readonly vms: number;
  readonly hosts: number;
  readonly intervalMs: number;
}

function integer(value: unknown, fallback: number, path: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new PluginError('INVALID_ARGUMENT', `${path} must be an integer ≥ 0`, {
      problems: [{ path, message: 'must be an integer ≥ 0' }],
    });
  }
  return value;
}

function expectedPassword(context: HandlerContext): string {
  const configured = context.config['password'];
  return typeof configured === 'string' ? configured : EXAMPLE_PASSWORD;
}

function open(connection: ProviderConnection, context: HandlerContext): StaticClient {
  if (connection.config['password'] !== expectedPassword(context)) {
    throw new PluginError('UNAUTHENTICATED', 'wrong password for the example provider');
  }
  return {
    vms: integer(connection.config['count'], 3, 'connection.config.count'),
    hosts: Math.max(1, integer(connection.config['hosts'], 1, 'connection.config.hosts')),
    intervalMs: integer(connection.config['interval_ms'], 0, 'connection.config.interval_ms'),
  };
}

/** The resources a client sees: `hosts` hypervisors, then `vms` VMs spread over them. */
export function* staticResources(client: StaticClient): Generator<ResourceData> {
  for (let h = 0; h < client.hosts; h++) {
    yield {
      ems_ref: `host-${h}`,
      resource_type: 'hypervisor_host',
      name: `host ${h}`,
      state: 'connected',
      properties: { cpu_cores: 16, memory_mb: 65_536 },
    };
  }
  for (let v = 0; v < client.vms; v++) {
    const host = `host-${v % client.hosts}`;
    yield {
      ems_ref: `vm-${v}`,
      resource_type: 'virtual_machine',
      name: `vm ${v}`,
      state: v % 2 === 0 ? 'running' : 'stopped',
      properties: { cpu: 1 + (v % 4), memory_mb: 1024 * (1 + (v % 4)) },
      relationships: [{ type: 'runs_on', target_ems_ref: host }],
      parent_ems_ref: host,
      tags: { env: 'example', index: String(v) },
    };
  }
}

/**
 * The provider example: vendor `example`, provider type `static`. `connect` needs
 * `connection.config.password` to equal the plugin configuration's `password` (default
 * `example-password`); `collect` yields `connection.config.hosts` (default 1) hypervisor hosts and
 * `connection.config.count` (default 3) VMs with `runs_on` relationships, spaced by
 * `connection.config.interval_ms` (default 0).
 */
export default definePlugin({
  name: 'example-provider',
  version: '0.1.0',
  configSchema: {
    type: 'object',
    properties: { password: { type: 'string', minLength: 1 } },
    additionalProperties: false,
  },
  capabilities: [
    defineProvider<StaticClient>({
      vendor: 'example',
      providerType: 'static',
      supportedResourceTypes: ['hypervisor_host', 'virtual_machine'],
      connect: open,
      async *collect(client, { signal }) {
        let first = true;
        for (const resource of staticResources(client)) {
          if (!first && client.intervalMs > 0)
            await sleep(client.intervalMs, undefined, { signal });
          first = false;
          yield resource;
        }
      },
      disconnect: () => undefined,
      validateConnection: (connection, context) =>
        connection.config['password'] === expectedPassword(context)
          ? { ok: true }
          : { ok: false, message: 'wrong password for the example provider' },
    }),
  ],
});
