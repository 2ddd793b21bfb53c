import type { ChildProcess } from 'node:child_process';
import { PlugboardError } from '@plugboard/core';
import {
  formatConfigLine,
  HEALTH_PATH,
  parseHealthBody,
  PROTOCOL_ENV_VAR,
  PROTOCOL_VERSION,
  serveArgs,
  SHUTDOWN_PATH,
  type Handshake,
} from '@plugboard/protocol';
import type { DiscoveredPlugin } from '../discovery/discovered-plugin.js';
import type { HostLogger } from '../logs/host-logger.js';
import { LineRingBuffer } from '../logs/line-ring-buffer.js';
import { StderrLogForwarder } from '../logs/stderr-log-forwarder.js';
import { fromProtocolError } from '../protocol-errors.js';
import { isRunning, signalProcessGroup, waitForExitWithin } from '../process-signals.js';
import type { PluginSpawner } from '../spawner.js';
import { PluginHttpClient, readResponseText } from './plugin-http-client.js';
import { readHandshake } from './read-handshake.js';
import { createSocketDirectory, type SocketDirectory } from './socket-directory.js';
import { describeExit } from './supervisor-errors.js';
import { delay, withDeadline } from './timing.js';

/** How long the host waits for `POST /shutdown` itself to be answered. */
const SHUTDOWN_REQUEST_TIMEOUT_MS = 2_000;
/** How long to wait for the last stderr lines after a failed start, for the error message. */
const STDERR_SETTLE_MS = 200;
/** After stdout ended before a handshake, how long to wait for the exit status. */
const STDOUT_END_EXIT_WAIT_MS = 500;
/** How long to wait for a SIGKILLed process to be reaped. */
const KILL_WAIT_MS = 5_000;

type ExitHow = { code: number | null; signal: NodeJS.Signals | null };

/** How one plugin process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when the host asked it to stop. */
  readonly requested: boolean;
}

/** Everything needed to start one plugin process. */
export interface PluginProcessOptions {
  readonly plugin: DiscoveredPlugin;
  readonly spawner: PluginSpawner;
  readonly logger: HostLogger;
  readonly env: NodeJS.ProcessEnv;
  /** Written to the plugin's stdin; may hold secrets, so it never goes on argv. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Passed to the plugin as `idle_timeout_ms` (0 = none). */
  readonly pluginIdleTimeoutMs: number;
  readonly startTimeoutMs: number;
  readonly socketParentDir?: string;
  readonly stderrTailLines: number;
  readonly maxLogLineLength?: number;
}

/** How long each step of a stop may take before the next, harsher one. */
export interface StopTimeouts {
  /** After `POST /shutdown` (and closing stdin), before SIGTERM. */
  readonly shutdownGraceMs: number;
  /** After SIGTERM, before SIGKILL. */
  readonly sigtermGraceMs: number;
}

/**
 * One running plugin process: `EXE serve --socket P` in a private folder, configuration on stdin
 * (kept open, so the plugin sees EOF when the host dies), ready once its handshake line and a
 * `GET /healthz` answer arrived. Cleans up its socket folder whenever it exits.
 */
export class PluginProcess {
  readonly plugin: DiscoveredPlugin;
  readonly pid: number;
  readonly handshake: Handshake;
  readonly client: PluginHttpClient;
  /** The last stderr lines of this process. */
  readonly tail: LineRingBuffer;
  /** Resolves once the process has exited and its socket folder is gone. */
  readonly exited: Promise<ProcessExit>;
  readonly #child: ChildProcess;
  #stopRequested = false;
  #stopping: Promise<void> | undefined;

  private constructor(fields: {
    plugin: DiscoveredPlugin;
    child: ChildProcess;
    handshake: Handshake;
    client: PluginHttpClient;
    tail: LineRingBuffer;
    exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
    socketDir: SocketDirectory;
  }) {
    this.plugin = fields.plugin;
    this.#child = fields.child;
    this.pid = fields.child.pid ?? 0;
    this.handshake = fields.handshake;
    this.client = fields.client;
    this.tail = fields.tail;
    this.exited = fields.exit.then(async (exit) => {
      fields.client.close();
      await fields.socketDir.remove().catch(() => undefined);
      return { ...exit, requested: this.#stopRequested };
    });
  }

  /** True until the process has exited. */
  get running(): boolean {
    return isRunning(this.#child);
  }

  /**
   * Starts the plugin and waits until it is ready. Fails with `PLUGIN_START_FAILED` (carrying the
   * stderr tail) when it exits or stays silent past the start timeout, `PLUGIN_PROTOCOL_ERROR`
   * when its stdout does not begin with a valid handshake line; the process is then killed.
   */
  static async start(options: PluginProcessOptions): Promise<PluginProcess> {
    const { plugin } = options;
    const subject = `plugin "${plugin.id}"`;
    const socketDir = await createSocketDirectory(options.socketParentDir);
    const tail = new LineRingBuffer(options.stderrTailLines);
    let child: ChildProcess;
    try {
      child = options.spawner(
        plugin.launch.command,
        [...plugin.launch.args, ...serveArgs(socketDir.socketPath)],
        {
          cwd: plugin.launch.cwd,
          env: { ...options.env, [PROTOCOL_ENV_VAR]: PROTOCOL_VERSION },
          stdio: ['pipe', 'pipe', 'pipe'],
          // Its own process group, so stopping it also stops what it started.
          detached: true,
        },
      );
    } catch (error) {
      await socketDir.remove();
      throw new PlugboardError(
        'PLUGIN_START_FAILED',
        `${subject} could not be started: ${(error as Error).message}`,
        { cause: error, details: { plugin: plugin.id } },
      );
    }
    // The host must not stay alive just because a plugin runs; the plugin follows the host.
    child.unref();

    let spawnError: Error | undefined;
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => {
        // Anything the plugin left running in its group goes with it.
        signalProcessGroup(child, 'SIGKILL');
        resolve({ code, signal });
      });
      child.once('error', (error) => {
        spawnError = error;
        if (child.pid === undefined) resolve({ code: null, signal: null });
      });
    });

    const forwarder = new StderrLogForwarder({
      plugin: plugin.name,
      logger: options.logger,
      tail,
      fields: { pluginId: plugin.id, pid: child.pid },
      ...(options.maxLogLineLength === undefined
        ? {}
        : { maxLineLength: options.maxLogLineLength }),
    });
    const stderrEnded = new Promise<void>((resolve) => {
      child.stderr?.on('data', (chunk: Buffer) => forwarder.write(chunk));
      child.stderr?.once('close', () => {
        forwarder.end();
        resolve();
      });
    });
    child.stdin?.on('error', () => undefined); // EPIPE when the plugin is already gone
    child.stdin?.write(
      formatConfigLine({ config: options.config, idle_timeout_ms: options.pluginIdleTimeoutMs }),
    );
    for (const stream of [child.stdin, child.stdout, child.stderr]) {
      (stream as unknown as { unref?: () => void } | null)?.unref?.();
    }

    const failStart = async (error: PlugboardError): Promise<never> => {
      signalProcessGroup(child, 'SIGKILL');
      await waitForExitWithin(child, KILL_WAIT_MS);
      await Promise.race([stderrEnded, delay(STDERR_SETTLE_MS)]);
      await socketDir.remove().catch(() => undefined);
      throw new PlugboardError(error.code, `${error.message}; stderr:\n${tail.tail(20)}`, {
        cause: error.cause ?? error,
        details: { ...error.details, plugin: plugin.id, stderrTail: tail.lines() },
      });
    };

    const deadline = Date.now() + options.startTimeoutMs;
    const startTimeout = (): PlugboardError =>
      new PlugboardError(
        'PLUGIN_START_FAILED',
        `${subject} did not become ready within ${options.startTimeoutMs} ms`,
        { details: { startTimeoutMs: options.startTimeoutMs } },
      );
    const exitedEarly = (how: {
      code: number | null;
      signal: NodeJS.Signals | null;
    }): PlugboardError =>
      new PlugboardError(
        'PLUGIN_START_FAILED',
        spawnError !== undefined
          ? `${subject} could not be started: ${spawnError.message}`
          : `${subject} exited (${describeExit(how)}) before it was ready`,
        { details: { exitCode: how.code, signal: how.signal } },
      );

    let outcome:
      Awaited<ReturnType<typeof readHandshake>> | { kind: 'exited'; how: ExitHow } | 'timeout';
    try {
      outcome = await withDeadline(
        Promise.race([
          readHandshake(child.stdout!, subject, (line) =>
            options.logger.warn(
              { plugin: plugin.name, pluginId: plugin.id },
              `plugin printed on stdout after its handshake (ignored): ${line.slice(0, 200)}`,
            ),
          ),
          exit.then((how) => ({ kind: 'exited' as const, how })),
        ]),
        deadline,
      );
    } catch (error) {
      return failStart(asPlugboardError(error, subject));
    }
    if (outcome === 'timeout') return failStart(startTimeout());
    if (outcome.kind === 'exited') return failStart(exitedEarly(outcome.how));
    if (outcome.kind === 'ended') {
      // stdout usually ends because the process is exiting; wait briefly to report how.
      const how = await withDeadline(exit, Date.now() + STDOUT_END_EXIT_WAIT_MS);
      if (how !== 'timeout') return failStart(exitedEarly(how));
      return failStart(
        new PlugboardError(
          'PLUGIN_START_FAILED',
          `${subject} closed its stdout without printing a handshake line`,
        ),
      );
    }
    const handshake = outcome.handshake;

    const client = new PluginHttpClient(handshake.parsedAddress);
    let health: void | 'timeout';
    try {
      health = await withDeadline(checkHealth(client, subject), deadline);
    } catch (error) {
      client.close();
      return failStart(asPlugboardError(error, subject));
    }
    if (health === 'timeout') {
      client.close();
      return failStart(startTimeout());
    }

    return new PluginProcess({ plugin, child, handshake, client, tail, exit, socketDir });
  }

  /**
   * Stops the process: `POST /shutdown` and stdin closed, then SIGTERM, then SIGKILL, each after
   * its timeout. Resolves once it has exited and its socket folder is removed.
   */
  stop(timeouts: StopTimeouts): Promise<void> {
    this.#stopping ??= this.#stop(timeouts);
    return this.#stopping;
  }

  async #stop(timeouts: StopTimeouts): Promise<void> {
    this.#stopRequested = true;
    if (this.running) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), SHUTDOWN_REQUEST_TIMEOUT_MS);
      await this.client
        .send({ method: 'POST', path: SHUTDOWN_PATH, body: {}, signal: controller.signal })
        .then((response) => response.resume())
        .catch(() => undefined)
        .finally(() => clearTimeout(timer));
      this.#child.stdin?.end();
    }
    if (!(await waitForExitWithin(this.#child, timeouts.shutdownGraceMs))) {
      signalProcessGroup(this.#child, 'SIGTERM');
      if (!(await waitForExitWithin(this.#child, timeouts.sigtermGraceMs))) {
        signalProcessGroup(this.#child, 'SIGKILL');
        await waitForExitWithin(this.#child, KILL_WAIT_MS);
      }
    }
    await this.exited;
  }
}

async function checkHealth(client: PluginHttpClient, subject: string): Promise<void> {
  const response = await client.send({ method: 'GET', path: HEALTH_PATH });
  const text = await readResponseText(response, `${subject}: GET ${HEALTH_PATH}`, 65_536);
  if (response.statusCode !== 200) {
    throw new PlugboardError(
      'PLUGIN_START_FAILED',
      `${subject}: GET ${HEALTH_PATH} answered HTTP ${response.statusCode ?? '?'}`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new PlugboardError(
      'PLUGIN_PROTOCOL_ERROR',
      `${subject}: GET ${HEALTH_PATH} answered something that is not JSON`,
    );
  }
  try {
    parseHealthBody(body);
  } catch (error) {
    throw fromProtocolError(error, subject);
  }
}

function asPlugboardError(error: unknown, subject: string): PlugboardError {
  if (error instanceof PlugboardError) return error;
  return new PlugboardError(
    'PLUGIN_START_FAILED',
    `${subject}: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error },
  );
}
