import { isPlugboardError, PlugboardError, problemsError, type SchemaCheck } from '@plugboard/core';
import { callPath, TIMEOUT_HEADER } from '@plugboard/protocol';
import type { DiscoveredPlugin } from '../discovery/discovered-plugin.js';
import type { HostLogger } from '../logs/host-logger.js';
import { compileSchemaOnce } from '../registry/compiled-schemas.js';
import { fromProtocolError } from '../protocol-errors.js';
import type { PluginSpawner } from '../spawner.js';
import { CallDeadline } from './call-deadline.js';
import type { CallOptions } from './call-options.js';
import { errorFromResponse, readCallResult, streamCallResult } from './call-results.js';
import { CrashTracker, type CrashPolicy } from './crash-tracker.js';
import { PluginProcess, type ProcessExit } from './plugin-process.js';
import { crashError, quarantineError, shutDownError, stoppedError } from './supervisor-errors.js';
import { delay } from './timing.js';

/** Where a plugin is in its life. */
export type PluginState = 'stopped' | 'starting' | 'ready' | 'stopping' | 'crashed' | 'quarantined';

/** How long a plugin with a plugin-side idle timeout outlives the host's own idle stop. */
const PLUGIN_IDLE_GRACE_MS = 5_000;
/** After a connection error, how long to wait for the process's exit to call it a crash. */
const CRASH_DETECTION_WAIT_MS = 1_000;

/** Settings of one plugin's supervisor (the host passes its own). */
export interface SupervisorOptions {
  readonly spawner: PluginSpawner;
  readonly logger: HostLogger;
  readonly env: NodeJS.ProcessEnv;
  readonly config: Readonly<Record<string, unknown>>;
  /** JSON Schema the configuration must satisfy (the manifest's `configuration`), if any. */
  readonly configSchema?: Readonly<Record<string, unknown>>;
  /** Stop the process after this long without calls; 0 = never. */
  readonly idleTimeoutMs: number;
  readonly startTimeoutMs: number;
  readonly callTimeoutMs: number;
  readonly shutdownGraceMs: number;
  readonly sigtermGraceMs: number;
  readonly crashPolicy: CrashPolicy;
  readonly stderrTailLines: number;
  readonly maxLogLineLength?: number;
  readonly socketParentDir?: string;
  /** Explains an unexpected exit (e.g. against sandbox limits) for the crash message. */
  readonly explainExit?: (code: number | null, signal: NodeJS.Signals | null) => string | undefined;
}

/** A snapshot of a supervisor for `list()`. */
export interface SupervisorStatus {
  readonly state: PluginState;
  readonly pid?: number;
  /** Processes started so far. */
  readonly starts: number;
  /** Crashes (and failed starts) within the crash window. */
  readonly recentCrashes: number;
  readonly inFlight: number;
}

/**
 * Runs one plugin: starts it lazily on the first call, shares the process between concurrent
 * calls, stops it when idle, restarts it after a crash with exponential backoff, quarantines it
 * after too many crashes, and stops it for good on `shutdown()`.
 */
export class PluginSupervisor {
  readonly plugin: DiscoveredPlugin;
  readonly #options: SupervisorOptions;
  readonly #crashes: CrashTracker;
  readonly #inFlight = new Set<CallDeadline>();
  readonly #shutdownController = new AbortController();
  #state: PluginState = 'stopped';
  #process: PluginProcess | undefined;
  #starting: Promise<PluginProcess> | undefined;
  #stopping: Promise<void> | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #starts = 0;
  #lastTail: readonly string[] = [];
  #checkConfigSchema: SchemaCheck | undefined;

  constructor(plugin: DiscoveredPlugin, options: SupervisorOptions) {
    this.plugin = plugin;
    this.#options = options;
    this.#crashes = new CrashTracker(options.crashPolicy);
  }

  /** The current state. */
  get state(): PluginState {
    return this.#state;
  }

  /** A snapshot for listings. */
  status(): SupervisorStatus {
    return {
      state: this.#state,
      ...(this.#process === undefined ? {} : { pid: this.#process.pid }),
      starts: this.#starts,
      recentCrashes: this.#crashes.recentCount(Date.now()),
      inFlight: this.#inFlight.size,
    };
  }

  /** The last stderr lines of the current (or last) process. */
  stderrTail(): readonly string[] {
    return this.#process?.tail.lines() ?? this.#lastTail;
  }

  /** Calls `POST /v1/<type>/<endpoint>` and resolves with the JSON answer (an NDJSON answer as an array). */
  async call(
    type: string,
    endpoint: string,
    input: unknown,
    options: CallOptions = {},
  ): Promise<unknown> {
    const subject = `plugin "${this.plugin.id}" ${type}/${endpoint}`;
    const deadline = new CallDeadline(
      subject,
      options.timeoutMs ?? this.#options.callTimeoutMs,
      options.signal,
    );
    let process: PluginProcess | undefined;
    try {
      process = await deadline.race(this.#ensureProcess());
      this.#beginCall(deadline);
      const response = await deadline.race(this.#send(process, type, endpoint, input, deadline));
      if ((response.statusCode ?? 0) >= 300) throw await errorFromResponse(response, subject);
      return await deadline.race(readCallResult(response, subject));
    } catch (error) {
      throw await this.#callFailure(error, deadline, process, subject);
    } finally {
      this.#endCall(deadline);
    }
  }

  /** Calls a streamed endpoint and yields each NDJSON value; breaking out of the loop cancels the call. */
  async *stream(
    type: string,
    endpoint: string,
    input: unknown,
    options: CallOptions = {},
  ): AsyncGenerator<unknown, void, undefined> {
    const subject = `plugin "${this.plugin.id}" ${type}/${endpoint}`;
    const deadline = new CallDeadline(
      subject,
      options.timeoutMs ?? this.#options.callTimeoutMs,
      options.signal,
    );
    let process: PluginProcess | undefined;
    let finished = false;
    try {
      process = await deadline.race(this.#ensureProcess());
      this.#beginCall(deadline);
      const response = await deadline.race(this.#send(process, type, endpoint, input, deadline));
      if ((response.statusCode ?? 0) >= 300) throw await errorFromResponse(response, subject);
      for await (const value of streamCallResult(response, subject)) {
        if (deadline.reason !== undefined) throw deadline.reason;
        yield value;
      }
      finished = true;
    } catch (error) {
      finished = true;
      throw await this.#callFailure(error, deadline, process, subject);
    } finally {
      // The consumer stopped early: cancel the request so the plugin can stop working.
      if (!finished)
        deadline.fail(new PlugboardError('ABORTED', `${subject}: the consumer stopped reading`));
      this.#endCall(deadline);
    }
  }

  /** Stops the process (as when idle); the next call starts it again. */
  async stop(): Promise<void> {
    this.#clearIdleTimer();
    if (this.#starting !== undefined) await this.#starting.catch(() => undefined);
    await this.#stopProcess();
  }

  /** Stops the process for good: later calls fail with `UNAVAILABLE`. */
  async shutdown(): Promise<void> {
    this.#shutdownController.abort();
    await this.stop();
    if (this.#state !== 'quarantined') this.#state = 'stopped';
  }

  /** Forgets past crashes and lifts a quarantine; the next call starts the plugin. */
  resetQuarantine(): void {
    this.#crashes.reset();
    if (this.#state === 'quarantined' || this.#state === 'crashed') this.#state = 'stopped';
  }

  #send(
    process: PluginProcess,
    type: string,
    endpoint: string,
    input: unknown,
    deadline: CallDeadline,
  ): ReturnType<PluginProcess['client']['send']> {
    let path: string;
    try {
      path = callPath(type, endpoint);
    } catch (error) {
      throw fromProtocolError(error, `plugin "${this.plugin.id}"`);
    }
    return process.client.send({
      method: 'POST',
      path,
      body: input ?? {},
      headers: { [TIMEOUT_HEADER]: String(deadline.remainingMs) },
      onStop: (listener) => deadline.onStop(listener),
    });
  }

  #beginCall(deadline: CallDeadline): void {
    this.#inFlight.add(deadline);
    this.#clearIdleTimer();
  }

  #endCall(deadline: CallDeadline): void {
    deadline.dispose();
    if (this.#inFlight.delete(deadline) && this.#inFlight.size === 0) this.#armIdleTimer();
  }

  async #callFailure(
    error: unknown,
    deadline: CallDeadline,
    process: PluginProcess | undefined,
    subject: string,
  ): Promise<unknown> {
    if (deadline.reason !== undefined) return deadline.reason;
    if (isPlugboardError(error)) return error;
    // A connection error: when the process is exiting, that exit (a crash) is the real cause.
    if (process !== undefined) {
      await Promise.race([process.exited, delay(CRASH_DETECTION_WAIT_MS)]);
      if (deadline.reason !== undefined) return deadline.reason;
    }
    return new PlugboardError(
      'UNAVAILABLE',
      `${subject}: the connection to the plugin failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }

  async #ensureProcess(): Promise<PluginProcess> {
    if (this.#shutdownController.signal.aborted) {
      throw shutDownError(this.plugin);
    }
    if (this.#crashes.quarantined)
      throw quarantineError(this.plugin, this.#crashes.policy, this.stderrTail());
    if (this.#stopping !== undefined) await this.#stopping;
    if (this.#process?.running === true && this.#state === 'ready') return this.#process;
    this.#starting ??= this.#startProcess().finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  async #startProcess(): Promise<PluginProcess> {
    const wait = this.#crashes.backoffMs(Date.now());
    if (wait > 0) {
      this.#options.logger.info(
        { plugin: this.plugin.name, pluginId: this.plugin.id, backoffMs: wait },
        'waiting before restarting a crashed plugin',
      );
      await delay(wait, this.#shutdownController.signal);
    }
    if (this.#shutdownController.signal.aborted) {
      throw shutDownError(this.plugin);
    }
    // A configuration the plugin would refuse is the host's mistake, not a crash: check it first.
    this.#checkConfig();
    this.#state = 'starting';
    this.#starts += 1;
    let process: PluginProcess;
    try {
      process = await PluginProcess.start({
        plugin: this.plugin,
        spawner: this.#options.spawner,
        logger: this.#options.logger,
        env: this.#options.env,
        config: this.#options.config,
        pluginIdleTimeoutMs:
          this.#options.idleTimeoutMs > 0 ? this.#options.idleTimeoutMs + PLUGIN_IDLE_GRACE_MS : 0,
        startTimeoutMs: this.#options.startTimeoutMs,
        stderrTailLines: this.#options.stderrTailLines,
        maxLogLineLength: this.#options.maxLogLineLength,
        socketParentDir: this.#options.socketParentDir,
      });
    } catch (error) {
      const quarantined = this.#crashes.record(Date.now());
      this.#state = quarantined ? 'quarantined' : 'crashed';
      this.#lastTail =
        isPlugboardError(error) && Array.isArray(error.details?.['stderrTail'])
          ? (error.details['stderrTail'] as string[])
          : this.#lastTail;
      this.#options.logger.error(
        { plugin: this.plugin.name, pluginId: this.plugin.id, err: error, quarantined },
        'plugin failed to start',
      );
      throw error;
    }
    this.#process = process;
    this.#state = 'ready';
    this.#options.logger.info(
      { plugin: this.plugin.name, pluginId: this.plugin.id, pid: process.pid },
      'plugin started',
    );
    void process.exited.then((exit) => this.#onExit(process, exit));
    if (this.#shutdownController.signal.aborted) {
      await this.#stopProcess();
      throw shutDownError(this.plugin);
    }
    this.#armIdleTimer();
    return process;
  }

  #onExit(process: PluginProcess, exit: ProcessExit): void {
    if (this.#process !== process) return;
    this.#process = undefined;
    this.#lastTail = process.tail.lines();
    this.#clearIdleTimer();
    const inFlight = [...this.#inFlight];
    const fields = {
      plugin: this.plugin.name,
      pluginId: this.plugin.id,
      pid: process.pid,
      exitCode: exit.code,
      signal: exit.signal,
    };
    if (exit.requested) {
      for (const call of inFlight) call.fail(stoppedError(this.plugin));
      this.#options.logger.info(fields, 'plugin stopped');
      return;
    }
    if (inFlight.length === 0 && exit.code === 0) {
      // It stopped by itself (its own idle timeout, or it lost its stdin): not a crash.
      this.#state = 'stopped';
      this.#options.logger.info(fields, 'plugin exited by itself');
      return;
    }
    const quarantined = this.#crashes.record(Date.now());
    this.#state = quarantined ? 'quarantined' : 'crashed';
    const crash = crashError(
      this.plugin,
      { pid: process.pid, exit, tail: this.#lastTail },
      inFlight.length,
      this.#options.explainExit?.(exit.code, exit.signal),
      quarantined,
    );
    for (const call of inFlight) call.fail(crash);
    this.#options.logger.error({ ...fields, quarantined }, 'plugin crashed');
  }

  async #stopProcess(): Promise<void> {
    const process = this.#process;
    if (process === undefined) return;
    this.#stopping ??= (async () => {
      this.#state = 'stopping';
      await process.stop({
        shutdownGraceMs: this.#options.shutdownGraceMs,
        sigtermGraceMs: this.#options.sigtermGraceMs,
      });
      if (this.#state === 'stopping') this.#state = 'stopped';
    })().finally(() => {
      this.#stopping = undefined;
    });
    await this.#stopping;
  }

  #checkConfig(): void {
    const schema = this.#options.configSchema;
    if (schema === undefined) return;
    this.#checkConfigSchema ??= compileSchemaOnce(schema);
    const problems = this.#checkConfigSchema(this.#options.config);
    if (problems.length > 0) {
      throw problemsError(
        'CONFIG_INVALID',
        `plugin "${this.plugin.id}": its configuration does not match the plugin's schema`,
        problems,
        { plugin: this.plugin.id },
      );
    }
  }

  #armIdleTimer(): void {
    this.#clearIdleTimer();
    if (this.#options.idleTimeoutMs <= 0 || this.#inFlight.size > 0 || this.#process === undefined)
      return;
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      if (this.#inFlight.size > 0) return;
      this.#options.logger.debug(
        { plugin: this.plugin.name, pluginId: this.plugin.id },
        'stopping idle plugin',
      );
      this.#stopProcess().catch((error: unknown) => {
        this.#options.logger.warn({ plugin: this.plugin.name, err: error }, 'idle stop failed');
      });
    }, this.#options.idleTimeoutMs);
    this.#idleTimer.unref();
  }

  #clearIdleTimer(): void {
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
  }
}
