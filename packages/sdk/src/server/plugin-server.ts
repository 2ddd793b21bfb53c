import { rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { PluginAddress } from '@plugboard/protocol/address';
import { HEALTH_PATH, parseCallPath, SHUTDOWN_PATH } from '@plugboard/protocol/call-path';
import {
  DEFAULT_MAX_REQUEST_BODY_BYTES,
  DEFAULT_SHUTDOWN_GRACE_MS,
} from '@plugboard/protocol/defaults';
import { errorBody } from '@plugboard/protocol/error-body';
import { compileInputSchema, type InputCheck } from '../input-validator.js';
import type {
  CapabilityDefinition,
  EndpointDefinition,
  PluginDefinition,
} from '../plugin-definition.js';
import { PluginError, type AbortReason } from '../plugin-error.js';
import type { PluginLogger } from '../plugin-logger.js';
import { serveEndpointCall } from './endpoint-call.js';
import { sendError, sendJson } from './json-answer.js';
import { listenWithFallback } from './listen.js';

/** Options of a `PluginServer`. */
export interface PluginServerOptions {
  readonly config?: Readonly<Record<string, unknown>>;
  /** Stop by itself after this long with no call in flight and none received; 0 = never. */
  readonly idleTimeoutMs?: number;
  /** How long in-flight calls may take to finish once shutdown began. */
  readonly shutdownGraceMs?: number;
  readonly maxBodyBytes?: number;
  readonly log: PluginLogger;
}

/** One call in flight: its abort controller and why it was aborted, if it was. */
export class CallInFlight {
  readonly controller = new AbortController();
  reason: AbortReason | undefined;

  /** Aborts the call's signal, remembering the first reason. */
  abort(reason: AbortReason): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.controller.abort(
      new PluginError(reason === 'timeout' ? 'TIMEOUT' : 'ABORTED', `call aborted: ${reason}`),
    );
  }
}

interface Route {
  readonly capability: CapabilityDefinition;
  readonly endpointName: string;
  readonly endpoint: EndpointDefinition<unknown>;
  inputCheck: Promise<InputCheck> | undefined;
  /** The route's child logger, made on its first call. */
  log: PluginLogger | undefined;
}

// After the grace period aborts the remaining calls, they get this long to answer before the
// connections are cut.
const AFTER_ABORT_WAIT_MS = 1_000;

// Each capability's shutdown hook (a provider disconnecting its sessions) gets at most this long.
const SHUTDOWN_HOOK_TIMEOUT_MS = 5_000;

/**
 * The HTTP side of a serving plugin: routes `/healthz`, `/shutdown` and `/v1/<type>/<endpoint>`,
 * counts calls in flight, stops itself when idle, and shuts down gracefully. `servePlugin` wires it
 * to argv, stdin, stdout and signals; tests may run it in-process.
 *
 * @example
 * const server = new PluginServer(definition, { log, idleTimeoutMs: 0 });
 * const address = await server.listen('/tmp/pb-1/p.sock');
 * await server.closed; // after POST /shutdown, idle timeout or server.shutdown()
 */
export class PluginServer {
  /** Resolves when the server has shut down and its socket file is gone. */
  readonly closed: Promise<void>;
  private readonly http: Server;
  private readonly routes = new Map<string, Route>();
  private readonly calls = new Set<CallInFlight>();
  private readonly log: PluginLogger;
  private readonly idleTimeoutMs: number;
  private readonly shutdownGraceMs: number;
  private readonly maxBodyBytes: number;
  private readonly config: Readonly<Record<string, unknown>>;
  private idleTimer: NodeJS.Timeout | undefined;
  private address: PluginAddress | undefined;
  private shutdownStarted: Promise<void> | undefined;
  private drainedWaiters: (() => void)[] = [];
  private resolveClosed: () => void = () => undefined;

  constructor(
    private readonly definition: PluginDefinition,
    options: PluginServerOptions,
  ) {
    this.log = options.log;
    this.config = options.config ?? {};
    this.idleTimeoutMs = options.idleTimeoutMs ?? 0;
    this.shutdownGraceMs = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_REQUEST_BODY_BYTES;
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    for (const capability of definition.capabilities) {
      for (const [endpointName, endpoint] of Object.entries(capability.endpoints)) {
        this.routes.set(`${capability.type}/${endpointName}`, {
          capability,
          endpointName,
          endpoint,
          inputCheck: undefined,
          log: undefined,
        });
      }
    }
    this.http = createServer((request, response) => this.route(request, response));
    // Calls may stream for a long time; the host applies its own timeouts.
    this.http.requestTimeout = 0;
    this.http.headersTimeout = 60_000;
  }

  /** Calls being served right now. */
  get inFlight(): number {
    return this.calls.size;
  }

  /** True once shutdown has begun. */
  get shuttingDown(): boolean {
    return this.shutdownStarted !== undefined;
  }

  /** Listens on `socketPath` (TCP 127.0.0.1 fallback) and starts the idle clock. */
  async listen(socketPath: string): Promise<PluginAddress> {
    this.address = await listenWithFallback(this.http, socketPath, this.log);
    this.armIdleTimer();
    return this.address;
  }

  /**
   * Stops accepting calls, lets in-flight calls finish (aborting them after the grace period),
   * runs the capabilities' shutdown hooks, closes every connection and removes the socket file.
   * Idempotent: later calls return the same promise.
   */
  shutdown(reason: string): Promise<void> {
    this.shutdownStarted ??= this.runShutdown(reason);
    return this.shutdownStarted;
  }

  /** Removes the socket file now (for `process.on('exit')`, where nothing async can run). */
  removeSocketFileSync(): void {
    if (this.address?.kind !== 'unix') return;
    try {
      rmSync(this.address.path, { force: true });
    } catch {
      // Best effort: the host removes its private directory as well.
    }
  }

  private async runShutdown(reason: string): Promise<void> {
    this.log.info({ reason, in_flight: this.calls.size }, 'shutting down');
    this.clearIdleTimer();
    this.http.close();
    this.http.closeIdleConnections();
    if (this.calls.size > 0) {
      const finished = await this.waitForCalls(this.shutdownGraceMs);
      if (!finished) {
        this.log.warn(
          { in_flight: this.calls.size, grace_ms: this.shutdownGraceMs },
          'calls still running after the grace period; aborting them',
        );
        for (const call of this.calls) call.abort('shutdown');
        await this.waitForCalls(AFTER_ABORT_WAIT_MS);
      }
    }
    for (const capability of this.definition.capabilities) {
      if (capability.onShutdown === undefined) continue;
      try {
        await withTimeout(
          Promise.resolve(capability.onShutdown(this.log)),
          SHUTDOWN_HOOK_TIMEOUT_MS,
        );
      } catch (error) {
        this.log.warn({ err: error, capability: capability.type }, 'shutdown hook failed');
      }
    }
    this.http.closeAllConnections();
    this.removeSocketFileSync();
    this.log.info({ reason }, 'stopped');
    this.resolveClosed();
  }

  private waitForCalls(timeoutMs: number): Promise<boolean> {
    if (this.calls.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.drainedWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private route(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (this.shuttingDown) response.setHeader('connection', 'close');
    if (path === HEALTH_PATH && request.method === 'GET') {
      sendJson(response, 200, { status: 'ok', in_flight: this.calls.size });
      return;
    }
    if (path === SHUTDOWN_PATH && request.method === 'POST') {
      request.resume();
      sendJson(response, 202, {});
      void this.shutdown('POST /shutdown');
      return;
    }
    const target = parseCallPath(path);
    if (target === undefined) {
      request.resume();
      sendError(
        response,
        errorBody(
          'NOT_FOUND',
          `no route ${request.method ?? 'GET'} ${path}; calls are POST /v1/<capability-type>/<endpoint>`,
        ),
      );
      return;
    }
    const route = this.routes.get(`${target.type}/${target.endpoint}`);
    if (route === undefined) {
      request.resume();
      const known = this.definition.capabilities.some((c) => c.type === target.type);
      sendError(
        response,
        errorBody(
          'NOT_FOUND',
          known
            ? `capability "${target.type}" has no endpoint "${target.endpoint}"`
            : `this plugin has no capability "${target.type}"`,
        ),
      );
      return;
    }
    if (request.method !== 'POST') {
      request.resume();
      sendError(
        response,
        errorBody('NOT_FOUND', `${request.method ?? 'GET'} ${path}: calls are POST`),
      );
      return;
    }
    if (this.shuttingDown) {
      request.resume();
      sendError(response, errorBody('UNAVAILABLE', 'the plugin is shutting down'));
      return;
    }
    void this.serveCall(route, request, response);
  }

  private async serveCall(
    route: Route,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const call = new CallInFlight();
    this.calls.add(call);
    this.clearIdleTimer();
    const schema = route.endpoint.inputSchema;
    if (schema !== undefined) {
      route.inputCheck ??= compileInputSchema(schema);
    }
    try {
      await serveEndpointCall(request, response, {
        endpoint: route.endpoint,
        inputCheck: route.inputCheck,
        config: this.config,
        log: (route.log ??= this.log.child({
          capability: route.capability.type,
          endpoint: route.endpointName,
        })),
        maxBodyBytes: this.maxBodyBytes,
        call,
      });
    } finally {
      this.calls.delete(call);
      if (this.calls.size === 0) {
        for (const resolve of this.drainedWaiters.splice(0)) resolve();
        this.armIdleTimer();
      }
      if (this.shuttingDown) this.http.closeIdleConnections();
    }
  }

  private armIdleTimer(): void {
    this.clearIdleTimer();
    if (this.idleTimeoutMs <= 0 || this.shuttingDown || this.calls.size > 0) return;
    this.idleTimer = setTimeout(() => {
      if (this.calls.size === 0) void this.shutdown(`idle for ${this.idleTimeoutMs} ms`);
    }, this.idleTimeoutMs);
  }

  private clearIdleTimer(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

function withTimeout(promise: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
