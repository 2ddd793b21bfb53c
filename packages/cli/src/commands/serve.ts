import { parseArgs } from 'node:util';
import { PlugboardError } from '@plugboard/core';
import type { Command } from '../command.js';

/** `plugboard serve`'s default port, equal to the server's `DEFAULT_PORT` (a test keeps them in step). */
export const SERVE_DEFAULT_PORT = 7400;

/** `plugboard serve`: runs the registry server until SIGTERM or SIGINT. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the registry server (SQLite and ./plugboard-data by default)',
  usage: `plugboard serve [--host 127.0.0.1] [--port ${SERVE_DEFAULT_PORT}] [--data DIR] [--database sqlite:PATH|postgres://…]
                [--managed DIR]... [--config FILE]

  Settings come from defaults, then --config FILE (YAML or JSON), then PLUGBOARD_* environment
  variables (PLUGBOARD_HOST, PLUGBOARD_PORT, PLUGBOARD_DATA, PLUGBOARD_DATABASE, PLUGBOARD_MANAGED
  as DIR:DIR, PLUGBOARD_ADMIN_TOKEN, PLUGBOARD_ADMIN_PASSWORD, PLUGBOARD_ANONYMOUS_READ,
  PLUGBOARD_SECRET_KEY, PLUGBOARD_COLLECTION_CONCURRENCY, PLUGBOARD_PASSWORD_FAILURES_PER_MINUTE,
  PLUGBOARD_LOG_LEVEL), then flags; every setting is in docs/cli.md ("serve"). On first start an
  admin token is created and printed once, unless PLUGBOARD_ADMIN_TOKEN is set. SIGTERM/SIGINT
  finish in-flight requests and exit 0.`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        host: { type: 'string' },
        port: { type: 'string', short: 'p' },
        data: { type: 'string' },
        database: { type: 'string' },
        managed: { type: 'string', multiple: true },
        config: { type: 'string' },
      },
    });
    if (positionals.length > 0)
      throw new PlugboardError('USAGE', `serve takes no arguments; got "${positionals[0]}"`);
    // Loaded only here: the server and its dependencies would slow every other command's start.
    const { loadServerConfig, startServer } = await import('@plugboard/server');
    const config = await loadServerConfig(values, io.env, io.cwd);
    const server = await startServer(config, true);
    io.stderr(
      `Plugboard registry listening on ${server.origin}/api/v1 (store: ${server.store.backend}, data: ${config.dataDir})\n`,
    );
    if (server.generatedAdminToken !== undefined) {
      io.stderr(`\nAdmin token (shown once; keep it): ${server.generatedAdminToken}\n\n`);
    }
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    io.stderr(`${signal}: finishing in-flight requests\n`);
    await server.close();
    return 0;
  },
};
