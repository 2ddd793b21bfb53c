import { PlugboardError } from '@plugboard/core';
import {
  DEFAULT_CAPABILITIES_TIMEOUT_MS,
  MAX_CAPABILITIES_LENGTH,
  PROTOCOL_ENV_VAR,
  PROTOCOL_VERSION,
} from '@plugboard/protocol';
import { SILENT_LOGGER, type HostLogger } from '../logs/host-logger.js';
import { LineRingBuffer } from '../logs/line-ring-buffer.js';
import { StderrLogForwarder } from '../logs/stderr-log-forwarder.js';
import type { PluginLaunch } from '../plugin-launch.js';
import { signalProcessGroup } from '../process-signals.js';
import { plainSpawner, type PluginSpawner } from '../spawner.js';

/**
 * Most bytes read from `EXE capabilities` stdout; more is an error and the process is killed.
 * The protocol's limit is in characters; a character is at most 4 UTF-8 bytes.
 */
export const DEFAULT_MAX_CAPABILITIES_BYTES = 4 * MAX_CAPABILITIES_LENGTH;

const PIPE_DRAIN_AFTER_EXIT_MS = 500;

/** Options of `runCapabilitiesCommand`. */
export interface RunCapabilitiesOptions {
  /** Name used in log records and messages. */
  readonly plugin: string;
  readonly spawner?: PluginSpawner;
  readonly logger?: HostLogger;
  readonly timeoutMs?: number;
  readonly maxOutputBytes?: number;
  /** Environment of the process; defaults to the host's. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Runs `EXE capabilities` and returns its stdout. The process is killed (with its process group)
 * when it runs past the timeout (`TIMEOUT`) or prints more than the limit (`PAYLOAD_TOO_LARGE`);
 * a failure to start or a non-zero exit is `PLUGIN_START_FAILED` carrying the stderr tail.
 * Stderr lines are forwarded to the logger like a running plugin's.
 */
export function runCapabilitiesCommand(
  launch: PluginLaunch,
  options: RunCapabilitiesOptions,
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CAPABILITIES_TIMEOUT_MS;
  const maxBytes = options.maxOutputBytes ?? DEFAULT_MAX_CAPABILITIES_BYTES;
  const tail = new LineRingBuffer(20);
  const stderr = new StderrLogForwarder({
    plugin: options.plugin,
    logger: options.logger ?? SILENT_LOGGER,
    tail,
    fields: { command: 'capabilities' },
  });
  const where = `"${launch.entrypoint}"`;

  return new Promise((resolve, reject) => {
    const child = (options.spawner ?? plainSpawner)(
      launch.command,
      [...launch.args, 'capabilities'],
      {
        cwd: launch.cwd,
        env: { ...(options.env ?? process.env), [PROTOCOL_ENV_VAR]: PROTOCOL_VERSION },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    const chunks: Buffer[] = [];
    let bytes = 0;
    let failure: PlugboardError | undefined;
    let settled = false;

    const fail = (error: PlugboardError): void => {
      failure ??= error;
      signalProcessGroup(child, 'SIGKILL');
    };
    const timer = setTimeout(() => {
      fail(
        new PlugboardError(
          'TIMEOUT',
          `${where} capabilities did not finish within ${timeoutMs} ms and was killed`,
          { details: { plugin: options.plugin, path: launch.entrypoint, timeoutMs } },
        ),
      );
    }, timeoutMs);

    child.stdout?.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        fail(
          new PlugboardError(
            'PAYLOAD_TOO_LARGE',
            `${where} capabilities printed more than ${maxBytes} bytes and was killed`,
            { details: { plugin: options.plugin, path: launch.entrypoint, maxBytes } },
          ),
        );
        return;
      }
      chunks.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => stderr.write(chunk));

    const finish = (error: PlugboardError | undefined, text?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stderr.end();
      if (error !== undefined) reject(error);
      else resolve(text ?? '');
    };

    child.once('error', (error) => {
      finish(
        new PlugboardError(
          'PLUGIN_START_FAILED',
          `${where} could not be started: ${error.message}`,
          { cause: error, details: { plugin: options.plugin, path: launch.entrypoint } },
        ),
      );
    });
    // A grandchild that inherited stdout could hold the pipe open after the plugin exited: give
    // the pipes a moment to drain after 'exit', then close them ourselves.
    child.once('exit', () => {
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, PIPE_DRAIN_AFTER_EXIT_MS).unref();
    });
    child.once('close', (code, signal) => {
      if (failure !== undefined) return finish(failure);
      if (code !== 0) {
        const how = signal === null ? `exited with code ${code}` : `was killed by ${signal}`;
        return finish(
          new PlugboardError(
            'PLUGIN_START_FAILED',
            `${where} capabilities ${how}; stderr:\n${tail.tail()}`,
            {
              details: {
                plugin: options.plugin,
                path: launch.entrypoint,
                exitCode: code,
                signal,
                stderrTail: tail.lines(),
              },
            },
          ),
        );
      }
      finish(undefined, Buffer.concat(chunks).toString('utf8'));
    });
  });
}
