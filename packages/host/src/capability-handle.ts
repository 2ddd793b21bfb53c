import { PlugboardError } from '@plugboard/core';
import type { DiscoveredPlugin } from './discovery/discovered-plugin.js';
import type { InProcessRegistration, Registration } from './registry/capability-registry.js';
import type { InputValidator } from './registry/input-validator.js';
import { CallDeadline } from './supervisor/call-deadline.js';
import type { CallOptions } from './supervisor/call-options.js';
import type { PluginSupervisor } from './supervisor/plugin-supervisor.js';

/** A resolved capability: call its endpoints without caring where it runs. */
export interface CapabilityHandle {
  readonly type: string;
  readonly name?: string;
  /** `in-process`, or the plugin that serves it. */
  readonly provider:
    | { readonly kind: 'in-process' }
    | { readonly kind: 'plugin'; readonly plugin: DiscoveredPlugin };
  /** Calls an endpoint; an NDJSON answer is collected into an array. */
  call(endpoint: string, input: unknown, options?: CallOptions): Promise<unknown>;
  /** Calls a streamed endpoint and yields each value. */
  stream(endpoint: string, input: unknown, options?: CallOptions): AsyncIterable<unknown>;
}

/** Builds a handle for a registration. */
export function capabilityHandle(
  registration: Registration,
  supervisorOf: (plugin: DiscoveredPlugin) => PluginSupervisor,
  validator: InputValidator,
  defaultTimeoutMs: number,
): CapabilityHandle {
  const base = {
    type: registration.type,
    ...(registration.name === undefined ? {} : { name: registration.name }),
  };
  if (registration.kind === 'in-process') {
    return {
      ...base,
      provider: { kind: 'in-process' },
      call: (endpoint, input, options) =>
        callInProcess(registration, endpoint, input, options, defaultTimeoutMs),
      stream: (endpoint, input, options) =>
        streamInProcess(registration, endpoint, input, options, defaultTimeoutMs),
    };
  }
  const { plugin, capability } = registration;
  const subject = (endpoint: string): string =>
    `plugin "${plugin.id}" ${registration.type}/${endpoint}`;
  return {
    ...base,
    provider: { kind: 'plugin', plugin },
    call: async (endpoint, input, options) => {
      validator.check(capability, endpoint, input, subject(endpoint));
      return supervisorOf(plugin).call(registration.type, endpoint, input, options);
    },
    stream: async function* (endpoint, input, options) {
      validator.check(capability, endpoint, input, subject(endpoint));
      yield* supervisorOf(plugin).stream(registration.type, endpoint, input, options);
    },
  };
}

function handlerOf(registration: InProcessRegistration, endpoint: string) {
  const handler = registration.handlers[endpoint];
  if (handler === undefined) {
    throw new PlugboardError(
      'NOT_FOUND',
      `in-process capability "${registration.type}" has no endpoint "${endpoint}"`,
      { details: { type: registration.type, endpoint } },
    );
  }
  return handler;
}

async function callInProcess(
  registration: InProcessRegistration,
  endpoint: string,
  input: unknown,
  options: CallOptions = {},
  defaultTimeoutMs: number,
): Promise<unknown> {
  const handler = handlerOf(registration, endpoint);
  const deadline = new CallDeadline(
    `in-process ${registration.type}/${endpoint}`,
    options.timeoutMs ?? defaultTimeoutMs,
    options.signal,
  );
  try {
    const result = await deadline.race(
      Promise.resolve(handler(input, { signal: deadline.signal })),
    );
    if (isAsyncIterable(result)) {
      const values: unknown[] = [];
      for await (const value of result) {
        if (deadline.reason !== undefined) throw deadline.reason;
        values.push(value);
      }
      return values;
    }
    return result;
  } finally {
    deadline.dispose();
  }
}

async function* streamInProcess(
  registration: InProcessRegistration,
  endpoint: string,
  input: unknown,
  options: CallOptions = {},
  defaultTimeoutMs: number,
): AsyncGenerator<unknown, void, undefined> {
  const handler = handlerOf(registration, endpoint);
  const deadline = new CallDeadline(
    `in-process ${registration.type}/${endpoint}`,
    options.timeoutMs ?? defaultTimeoutMs,
    options.signal,
  );
  try {
    const result = await deadline.race(
      Promise.resolve(handler(input, { signal: deadline.signal })),
    );
    if (!isAsyncIterable(result)) {
      yield result;
      return;
    }
    for await (const value of result) {
      if (deadline.reason !== undefined) throw deadline.reason;
      yield value;
    }
  } finally {
    deadline.dispose();
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function'
  );
}
