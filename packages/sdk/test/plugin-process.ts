/**
 * Test helpers: spawn an example plugin as a real child process, talk plugboard/1 to it over its
 * real socket.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import {
  formatConfigLine,
  NdjsonLineSplitter,
  parseHandshakeLine,
  serveArgs,
  type Handshake,
  type PluginAddress,
} from '@plugboard/protocol';

/** Package root (`packages/sdk/`), from `dist/test/`. */
export const SDK_ROOT = new URL('../../', import.meta.url);

/** The example plugins' launchers (executable, committed) and compiled modules. */
export const EXAMPLES = {
  echo: new URL('examples/bin/echo-plugin', SDK_ROOT).pathname,
  provider: new URL('examples/bin/example-provider', SDK_ROOT).pathname,
  echoDefinition: new URL('dist/examples/echo-definition.js', SDK_ROOT).pathname,
  runner: new URL('bin/plugboard-plugin.js', SDK_ROOT).pathname,
  sdkIndex: new URL('dist/src/index.js', SDK_ROOT).pathname,
};

/** How a child process ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running plugin process. */
export interface PluginProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly handshake: Handshake;
  readonly address: PluginAddress;
  /** Everything written to stdout after the handshake (must stay empty). */
  readonly laterStdout: string[];
  readonly stderr: string[];
  readonly exited: Promise<Exit>;
}

/** Runs `command args…` to completion and collects its output. */
export function runToEnd(
  command: string,
  args: readonly string[],
  input?: string,
): Promise<Exit & { stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    if (input !== undefined) child.stdin.write(input);
    child.stdin.end();
  });
}

/**
 * Spawns `command args… serve --socket <socketPath>`, writes the config line (keeping stdin
 * open) and waits for the handshake line.
 */
export async function startPlugin(
  command: string,
  socketPath: string,
  options: {
    config?: Record<string, unknown>;
    idleTimeoutMs?: number;
    args?: string[];
    env?: NodeJS.ProcessEnv;
  } = {},
): Promise<PluginProcess> {
  const child = spawn(command, [...(options.args ?? []), ...serveArgs(socketPath)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, PLUGBOARD_PROTOCOL: 'plugboard/1', ...options.env },
  });
  const stderr: string[] = [];
  const laterStdout: string[] = [];
  const exited = new Promise<Exit>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  child.stdin.write(
    formatConfigLine({ config: options.config ?? {}, idle_timeout_ms: options.idleTimeoutMs ?? 0 }),
  );
  const handshake = await new Promise<Handshake>((resolve, reject) => {
    let buffered = '';
    let settled = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (settled) {
        laterStdout.push(chunk);
        return;
      }
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline === -1) return;
      settled = true;
      try {
        resolve(parseHandshakeLine(buffered.slice(0, newline)));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
      const rest = buffered.slice(newline + 1);
      if (rest !== '') laterStdout.push(rest);
    });
    void exited.then((exit) => {
      if (!settled)
        reject(
          new Error(
            `plugin exited (${JSON.stringify(exit)}) before the handshake; stderr: ${stderr.join('')}`,
          ),
        );
    });
  });
  return { child, handshake, address: handshake.parsedAddress, laterStdout, stderr, exited };
}

/** An HTTP answer read whole. */
export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** The body parsed as JSON. */
  json(): unknown;
}

function connectOptions(
  address: PluginAddress,
): { socketPath: string } | { host: string; port: number } {
  return address.kind === 'unix'
    ? { socketPath: address.path }
    : { host: address.host, port: address.port };
}

/** Sends one request over the plugin's socket and reads the whole answer. */
export function call(
  address: PluginAddress,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload =
      body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = httpRequest(
      {
        ...connectOptions(address),
        method,
        path,
        headers: { 'content-type': 'application/json', ...headers },
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text) as unknown,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Posts to a streamed endpoint and yields each NDJSON line as soon as it arrives. */
export async function* streamLines(
  address: PluginAddress,
  path: string,
  body: unknown,
): AsyncGenerator<{ value: unknown; status: number; contentType: string | undefined }> {
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = httpRequest(
      {
        ...connectOptions(address),
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        agent: false,
      },
      resolve,
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
  const splitter = new NdjsonLineSplitter();
  res.setEncoding('utf8');
  for await (const chunk of res) {
    for (const line of splitter.push(chunk as string)) {
      yield {
        value: JSON.parse(line) as unknown,
        status: res.statusCode ?? 0,
        contentType: res.headers['content-type'],
      };
    }
  }
  for (const line of splitter.end()) {
    yield {
      value: JSON.parse(line) as unknown,
      status: res.statusCode ?? 0,
      contentType: res.headers['content-type'],
    };
  }
}

/** Resolves with `promise`'s value, or rejects when it takes longer than `ms` (generous limits only). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Kills a plugin that a failed test left running. */
export function killQuietly(plugin: PluginProcess | undefined): void {
  if (plugin !== undefined && plugin.child.exitCode === null && plugin.child.signalCode === null)
    plugin.child.kill('SIGKILL');
}
