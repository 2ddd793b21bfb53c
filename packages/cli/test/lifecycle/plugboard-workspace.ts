import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadServerConfig, startServer, type RunningServer } from '@plugboard/server';
import { gzipTarArchive, type TarEntrySpec } from '@plugboard/installer';
import { makeTempDir } from '@plugboard/test-support';
import { runCli } from '@plugboard/cli';

/** What one in-process CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A real registry server (port 0, temp data folder) and its admin token. */
export interface TestRegistryServer {
  readonly server: RunningServer;
  readonly origin: string;
  readonly dataDir: string;
  readonly adminToken: string;
  close(): Promise<void>;
}

/** Starts `startServer` from `@plugboard/server` on 127.0.0.1, port 0, over a temp data folder. */
export async function startRegistryServer(): Promise<TestRegistryServer> {
  const dir = makeTempDir('plugboard-cli-server-');
  const config = await loadServerConfig(
    { data: dir.path, port: '0', host: '127.0.0.1' },
    { PLUGBOARD_LOG_LEVEL: 'silent' },
    dir.path,
  );
  const server = await startServer(config);
  return {
    server,
    origin: server.origin,
    dataDir: dir.path,
    adminToken: server.generatedAdminToken ?? '',
    async close() {
      await server.close();
      dir.remove();
    },
  };
}

/** A client machine: its own PLUGBOARD_HOME with a config.yaml, and a way to run the CLI there. */
export interface ClientWorkspace {
  readonly home: string;
  readonly cwd: string;
  readonly env: Record<string, string>;
  run(argv: readonly string[], env?: Record<string, string>): Promise<CliRun>;
  writeConfig(yaml: string): void;
  remove(): void;
}

/**
 * A client workspace whose config names the server as registry "local" with the token from
 * `${PLUGBOARD_TEST_TOKEN}` (so the config file never holds the secret), plus `extraConfig`.
 */
export function clientWorkspace(
  origin: string | undefined,
  token: string | undefined,
  extraConfig = '',
): ClientWorkspace {
  const dir = makeTempDir('plugboard-cli-client-');
  const home = join(dir.path, 'home');
  const cwd = join(dir.path, 'work');
  mkdirSync(home);
  mkdirSync(cwd);
  const env: Record<string, string> = {
    PLUGBOARD_HOME: home,
    HOME: dir.path,
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    ...(token === undefined ? {} : { PLUGBOARD_TEST_TOKEN: token }),
  };
  const writeConfig = (yaml: string) => writeFileSync(join(home, 'config.yaml'), yaml);
  if (origin !== undefined) {
    writeConfig(
      `registries:\n  - name: local\n    url: ${origin}\n    priority: 1\n    timeout: 10s\n    auth:\n      type: bearer\n      token: \${PLUGBOARD_TEST_TOKEN}\n${extraConfig}`,
    );
  }
  return {
    home,
    cwd,
    env,
    writeConfig,
    async run(argv, extraEnv = {}) {
      let stdout = '';
      let stderr = '';
      const code = await runCli(argv, {
        stdout: (text) => (stdout += text),
        stderr: (text) => (stderr += text),
        cwd,
        env: { ...env, ...extraEnv },
      });
      return { code, stdout, stderr };
    },
    remove: () => dir.remove(),
  };
}

/** A plugin package whose `bin/run` answers the capabilities handshake. */
export function pluginPackage(
  name: string,
  version: string,
  options: { flavour?: string; extra?: readonly TarEntrySpec[]; capabilityOffered?: string } = {},
): Buffer {
  const capabilities = JSON.stringify({
    name,
    version,
    protocol: 'plugboard/1',
    capabilities: [{ type: options.capabilityOffered ?? 'echo', endpoints: ['echo'] }],
  });
  return gzipTarArchive([
    {
      path: 'manifest.json',
      content: JSON.stringify({
        name,
        version,
        description: `${name} test plugin (${options.flavour ?? 'plain'})`,
        capabilities: [{ type: 'echo', endpoints: ['echo'] }],
        runtime: { type: 'executable', entrypoint: 'bin/run' },
      }),
    },
    {
      path: 'bin/run',
      mode: 0o755,
      content: `#!/bin/sh\n# ${options.flavour ?? 'plain'}\nif [ "$1" = "capabilities" ]; then\n  printf '%s\\n' '${capabilities}'\n  exit 0\nfi\nexit 2\n`,
    },
    ...(options.extra ?? []),
  ]);
}

/** Writes a package into the workspace and returns its file name. */
export function writePackage(workspace: ClientWorkspace, file: string, bytes: Buffer): string {
  writeFileSync(join(workspace.cwd, file), bytes);
  return file;
}
