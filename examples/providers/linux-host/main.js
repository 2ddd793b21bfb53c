#!/usr/bin/env node
// The linux-host example provider (vendor `linux`, provider type `host`): collects the machine
// the plugin runs on. Plain ESM on purpose, so it runs without a build step; `pack.mjs` points
// the bare `@plugboard/sdk` imports at this repository when it packages the folder.
import { Buffer } from 'node:buffer';
import { readFile, statfs } from 'node:fs/promises';
import os from 'node:os';
import { definePlugin, servePlugin } from '@plugboard/sdk';
import { defineProvider } from '@plugboard/sdk/provider';

/** TCP state of a listening socket in `/proc/net/tcp{,6}` (hex). */
const TCP_LISTEN = '0A';

/** Decodes the octal escapes (`\040` for a space) the kernel writes in `/proc/mounts`. */
function unescapeMountField(field) {
  return field.replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8)));
}

/** Reads a file, or undefined when this machine does not have it (e.g. no IPv6). */
async function readOptional(path) {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The host resource every other resource points at. */
function hostResource(hostRef) {
  return {
    ems_ref: hostRef,
    resource_type: 'host',
    name: os.hostname(),
    state: 'running',
    properties: {
      hostname: os.hostname(),
      kernel: os.release(),
      kernel_version: os.version(),
      platform: os.platform(),
      arch: os.arch(),
      uptime_seconds: Math.floor(os.uptime()),
      memory_bytes: os.totalmem(),
      cpu_count: os.cpus().length,
    },
  };
}

function* cpuResources(hostRef) {
  const onHost = [{ type: 'part_of', target_ems_ref: hostRef }];
  for (const [index, cpu] of os.cpus().entries()) {
    yield {
      ems_ref: `cpu:${index}`,
      resource_type: 'cpu',
      name: `cpu${index}`,
      properties: { index, model: cpu.model, speed_mhz: cpu.speed },
      relationships: onHost,
      parent_ems_ref: hostRef,
    };
  }
}

async function* mountResources(hostRef) {
  const text = (await readOptional('/proc/mounts')) ?? '';
  // A later line for one mount point hides the earlier ones (over-mounts): keep the last.
  const byPoint = new Map();
  for (const line of text.split('\n')) {
    const [device, point, fsType, options] = line.split(' ');
    if (device === undefined || point === undefined || fsType === undefined) continue;
    const mountPoint = unescapeMountField(point);
    byPoint.set(mountPoint, {
      device: unescapeMountField(device),
      fsType,
      readOnly: (options ?? '').split(',').includes('ro'),
    });
  }
  for (const [mountPoint, mount] of byPoint) {
    const properties = {
      device: mount.device,
      fs_type: mount.fsType,
      read_only: mount.readOnly,
    };
    try {
      const stats = await statfs(mountPoint);
      properties.size_bytes = stats.blocks * stats.bsize;
      properties.free_bytes = stats.bfree * stats.bsize;
      properties.available_bytes = stats.bavail * stats.bsize;
    } catch {
      // Some mounts refuse statfs to this user; report them without sizes.
    }
    yield {
      ems_ref: `mount:${mountPoint}`,
      resource_type: 'mount',
      name: mountPoint,
      state: 'mounted',
      properties,
      relationships: [{ type: 'mounted_on', target_ems_ref: hostRef }],
      parent_ems_ref: hostRef,
    };
  }
}

function* interfaceResources(hostRef) {
  for (const [name, addresses] of Object.entries(os.networkInterfaces())) {
    const list = addresses ?? [];
    yield {
      ems_ref: `interface:${name}`,
      resource_type: 'network_interface',
      name,
      state: 'up',
      properties: {
        mac: list[0]?.mac ?? null,
        internal: list.some((a) => a.internal),
        addresses: list.map((a) => ({ family: a.family, address: a.address, cidr: a.cidr })),
      },
      relationships: [{ type: 'attached_to', target_ems_ref: hostRef }],
      parent_ems_ref: hostRef,
    };
  }
}

/** `0100007F` → `127.0.0.1`: the kernel writes each 32-bit word in host (little-endian) order. */
function ipv4FromHex(hex) {
  const bytes = Buffer.from(hex, 'hex').reverse();
  return [...bytes].join('.');
}

/** The 32-hex-digit IPv6 address of `/proc/net/tcp6` (four little-endian words) as text. */
function ipv6FromHex(hex) {
  const bytes = Buffer.alloc(16);
  for (let word = 0; word < 4; word++) {
    Buffer.from(hex.slice(word * 8, word * 8 + 8), 'hex')
      .reverse()
      .copy(bytes, word * 4);
  }
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

async function* portResources(hostRef) {
  const seen = new Set();
  for (const [file, family] of [
    ['/proc/net/tcp', 'IPv4'],
    ['/proc/net/tcp6', 'IPv6'],
  ]) {
    const text = (await readOptional(file)) ?? '';
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [local, state] = [fields[1], fields[3]];
      if (local === undefined || state !== TCP_LISTEN) continue;
      const [addressHex = '', portHex = ''] = local.split(':');
      const address = family === 'IPv4' ? ipv4FromHex(addressHex) : ipv6FromHex(addressHex);
      const port = parseInt(portHex, 16);
      const ref = `port:tcp:[${address}]:${port}`;
      if (seen.has(ref)) continue;
      seen.add(ref);
      yield {
        ems_ref: ref,
        resource_type: 'listening_port',
        name: `tcp ${family === 'IPv4' ? address : `[${address}]`}:${port}`,
        state: 'listening',
        properties: { protocol: 'tcp', family, address, port, inode: fields[9] ?? null },
        relationships: [{ type: 'listens_on', target_ems_ref: hostRef }],
        parent_ems_ref: hostRef,
      };
    }
  }
}

/** What collect yields, keyed by resource type, so a run may ask for some types only. */
const COLLECTORS = {
  host: async function* (hostRef) {
    yield hostResource(hostRef);
  },
  cpu: cpuResources,
  mount: mountResources,
  network_interface: interfaceResources,
  listening_port: portResources,
};

await servePlugin(
  definePlugin({
    name: 'linux-host-provider',
    version: '0.1.0',
    capabilities: [
      defineProvider({
        vendor: 'linux',
        providerType: 'host',
        supportedResourceTypes: Object.keys(COLLECTORS),
        // Nothing to open: the plugin reads the machine it runs on.
        connect: () => ({ hostRef: `host:${os.hostname()}` }),
        async *collect(client, { resourceTypes, signal }) {
          for (const type of Object.keys(COLLECTORS)) {
            if (!resourceTypes.includes(type)) continue;
            for await (const resource of COLLECTORS[type](client.hostRef)) {
              signal.throwIfAborted();
              yield resource;
            }
          }
        },
        disconnect: () => undefined,
        validateConnection: async () =>
          (await readOptional('/proc/mounts')) === undefined
            ? { ok: false, message: '/proc/mounts is not readable: this is not a Linux host' }
            : { ok: true, message: `reading ${os.hostname()} (Linux ${os.release()})` },
      }),
    ],
  }),
);
