import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadServerConfig, startServer, type RunningServer } from '@plugboard/server';
import { makeTempDir } from '@plugboard/test-support';

/** The admin token of every web test server (`PLUGBOARD_ADMIN_TOKEN`). */
export const ADMIN_TOKEN = 'pb_web-test-admin-token-0123456789';

/** The built catalog the server serves; tests need `npm run build` first. */
export const WEB_APP_FOLDER = fileURLToPath(new URL('../../app/', import.meta.url));

/** Fails with the command to run when the catalog has not been built. */
export function assertWebBuilt(): void {
  if (!existsSync(`${WEB_APP_FOLDER}index.html`)) {
    throw new Error(
      `the web catalog is not built (${WEB_APP_FOLDER}index.html is missing): run \`npm run build\` at the repository root`,
    );
  }
}

/** A real registry server (the composition root) on 127.0.0.1, port 0, over a temp data folder. */
export interface WebTestServer {
  readonly origin: string;
  readonly server: RunningServer;
  /** A JSON call to `/api/v1` with the admin token (or `token`); throws on a non-2xx answer. */
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<T>;
  /** A call to `/api/v1` with the admin token (or `token`) and a body of any type. */
  raw(
    method: string,
    path: string,
    body?: Uint8Array | string,
    contentType?: string,
    token?: string,
  ): Promise<Response>;
  close(): Promise<void>;
}

/** Options of `startWebTestServer`. */
export interface WebTestServerOptions {
  /** MANAGED folders. */
  readonly managed?: readonly string[] | undefined;
}

/** Starts the server the way `plugboard serve` does, serving the built catalog at `/`. */
export async function startWebTestServer(
  options: WebTestServerOptions = {},
): Promise<WebTestServer> {
  assertWebBuilt();
  const dir = makeTempDir('plugboard-web-');
  const config = await loadServerConfig(
    { data: dir.path, port: '0', host: '127.0.0.1', managed: options.managed },
    { PLUGBOARD_ADMIN_TOKEN: ADMIN_TOKEN, PLUGBOARD_LOG_LEVEL: 'silent' },
    dir.path,
  );
  const server = await startServer(config);
  const origin = server.origin;
  const raw = (
    method: string,
    path: string,
    body?: Uint8Array | string,
    contentType?: string,
    token: string = ADMIN_TOKEN,
  ) =>
    fetch(`${origin}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(contentType === undefined ? {} : { 'content-type': contentType }),
      },
      // Any Uint8Array is a valid body at run time; TS 5.9 only types ArrayBuffer-backed ones so.
      body: body as BodyInit | undefined,
    });
  return {
    origin,
    server,
    async api<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
      const response = await raw(
        method,
        path,
        body === undefined ? undefined : JSON.stringify(body),
        body === undefined ? undefined : 'application/json',
        token,
      );
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
      return (text === '' ? undefined : JSON.parse(text)) as T;
    },
    raw,
    async close() {
      await server.close();
      dir.remove();
    },
  };
}
