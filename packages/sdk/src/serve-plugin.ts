import { format } from 'node:util';
import { parseConfigLine, type StdinConfigLine } from '@plugboard/protocol/config-line';
import { DEFAULT_START_TIMEOUT_MS } from '@plugboard/protocol/defaults';
import { formatHandshakeLine } from '@plugboard/protocol/handshake';
import { parsePluginArgs } from '@plugboard/protocol/plugin-command';
import { isProtocolError } from '@plugboard/protocol/protocol-error';
import { buildCapabilitiesDocument } from './capabilities-document.js';
import { compileInputSchema, describeProblems } from './input-validator.js';
import { checkPluginDefinition, type PluginDefinition } from './plugin-definition.js';
import {
  createJsonLineLogger,
  isLogLevel,
  type LineSink,
  type PluginLogger,
} from './plugin-logger.js';
import { PluginServer } from './server/plugin-server.js';
import { StdinChannel } from './server/stdin-channel.js';

/** Exit codes of a plugin process. */
export const PLUGIN_EXIT_CODES = {
  /** Finished normally: capabilities printed, or served and shut down. */
  OK: 0,
  /** Failed to start: bad configuration, stdin closed before the configuration line, … */
  START_FAILED: 1,
  /** The command line was not `capabilities` or `serve --socket P`. */
  USAGE: 2,
} as const;

/** Environment variable choosing the lowest level logged to stderr (default `info`). */
export const LOG_LEVEL_ENV_VAR = 'PLUGBOARD_LOG_LEVEL';

/**
 * `process.stderr`, opened when the first line is logged: a plugin that logs nothing before its
 * handshake does not pay for making the stream at start.
 */
const STDERR_ON_FIRST_LINE: LineSink = { write: (line) => process.stderr.write(line) };

/** Where `servePlugin` reads and writes; defaults are the process's own (tests inject others). */
export interface ServePluginOptions {
  /** Arguments after the executable; default `process.argv.slice(2)`. */
  readonly args?: readonly string[];
  /** How long in-flight calls may take to finish after shutdown began. */
  readonly shutdownGraceMs?: number;
  /** How long to wait for the stdin configuration line before giving up. */
  readonly configTimeoutMs?: number;
  /** Called with the exit code when the plugin is done; default `process.exit`. */
  readonly exit?: (code: number) => void;
}

/**
 * Runs a plugin executable: `capabilities` prints the capabilities document; `serve --socket P`
 * reads the configuration line from stdin, listens on P (TCP 127.0.0.1 when it cannot), prints the
 * handshake line and serves calls until `POST /shutdown`, SIGTERM, stdin end-of-file or the idle
 * timeout, then exits 0. Resolves with the exit code (after calling `exit`).
 *
 * @example
 * #!/usr/bin/env node
 * import { servePlugin } from '@plugboard/sdk';
 * await servePlugin({
 *   name: 'echo', version: '1.0.0',
 *   capabilities: [{ type: 'echo', endpoints: { echo: { handler: (input) => input } } }],
 * });
 */
export async function servePlugin(
  definition: PluginDefinition,
  options: ServePluginOptions = {},
): Promise<number> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const level = process.env[LOG_LEVEL_ENV_VAR];
  const log =
    definition.logger ??
    createJsonLineLogger(STDERR_ON_FIRST_LINE, { minLevel: isLogLevel(level) ? level : 'info' });
  const finish = (code: number): number => {
    exit(code);
    return code;
  };
  checkPluginDefinition(definition);
  let command;
  try {
    command = parsePluginArgs(options.args ?? process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return finish(PLUGIN_EXIT_CODES.USAGE);
  }
  if (command.command === 'capabilities') {
    process.stdout.write(`${JSON.stringify(buildCapabilitiesDocument(definition))}\n`);
    return finish(PLUGIN_EXIT_CODES.OK);
  }
  return finish(await serve(definition, command.socketPath, log, options));
}

async function serve(
  definition: PluginDefinition,
  socketPath: string,
  log: PluginLogger,
  options: ServePluginOptions,
): Promise<number> {
  // stdout carries the handshake only; a stray console.log would corrupt it, so it goes to the log.
  for (const method of ['log', 'info', 'debug'] as const) {
    // eslint-disable-next-line no-console -- replacing, not using, console: stdout must stay clean
    console[method] = (...values: unknown[]) => log.info(format(...values));
  }
  const stdin = new StdinChannel(process.stdin);
  const configLine = await readConfigLine(
    stdin,
    options.configTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
    log,
  );
  if (configLine === undefined) return PLUGIN_EXIT_CODES.START_FAILED;
  if (definition.configSchema !== undefined) {
    const problems = (await compileInputSchema(definition.configSchema))(configLine.config);
    if (problems.length > 0) {
      log.error({ problems }, describeProblems('configuration', problems));
      return PLUGIN_EXIT_CODES.START_FAILED;
    }
  }
  const server = new PluginServer(definition, {
    config: configLine.config,
    idleTimeoutMs: configLine.idle_timeout_ms,
    log,
    ...(options.shutdownGraceMs === undefined ? {} : { shutdownGraceMs: options.shutdownGraceMs }),
  });
  process.on('exit', () => server.removeSocketFileSync());
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) {
      // A second signal means "now": the host (or a person at a terminal) stopped waiting.
      log.warn({ signal }, 'second signal; exiting without waiting for calls');
      server.removeSocketFileSync();
      process.exit(PLUGIN_EXIT_CODES.START_FAILED);
    }
    void server.shutdown(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  stdin.onEnd(() => void server.shutdown('stdin closed (the host is gone)'));
  if (stdin.hasEnded) return PLUGIN_EXIT_CODES.OK;
  let address;
  try {
    address = await server.listen(socketPath);
  } catch (error) {
    log.error({ err: error }, 'cannot listen on the socket nor on TCP 127.0.0.1');
    return PLUGIN_EXIT_CODES.START_FAILED;
  }
  process.stdout.write(formatHandshakeLine(address, process.pid));
  log.debug({ address }, 'serving');
  await server.closed;
  stdin.close();
  return PLUGIN_EXIT_CODES.OK;
}

async function readConfigLine(
  stdin: StdinChannel,
  timeoutMs: number,
  log: PluginLogger,
): Promise<StdinConfigLine | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const line = await Promise.race([stdin.readFirstLine(), timedOut]);
  clearTimeout(timer);
  if (line === 'timeout') {
    log.error(`no configuration line on stdin within ${timeoutMs} ms`);
    return undefined;
  }
  if (line === undefined) {
    log.error(
      stdin.firstLineTooLong
        ? 'the configuration line on stdin is too long'
        : 'stdin closed before the configuration line',
    );
    return undefined;
  }
  try {
    return parseConfigLine(line);
  } catch (error) {
    const problems = isProtocolError(error) ? error.problems : [];
    log.error({ problems }, error instanceof Error ? error.message : String(error));
    return undefined;
  }
}
