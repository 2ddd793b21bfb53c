import { createServer, type IncomingMessage, type Server } from 'node:http';

/** One canned answer. */
export interface CannedResponse {
  readonly status?: number;
  readonly body: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
  /** Answer 404 (as GitHub does for private repositories) unless this Authorization header came. */
  readonly requireAuthorization?: string;
}

/** A real HTTP server on 127.0.0.1 answering from a map of paths (404 otherwise). */
export interface StaticServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly routes: Map<string, CannedResponse>;
  /** Requests seen, as `METHOD path` with the authorization and accept headers when sent. */
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

/** One request the server answered. */
export interface SeenRequest {
  readonly line: string;
  readonly authorization: string | undefined;
  readonly accept: string | undefined;
}

/** Starts the server on port 0. */
export async function startStaticServer(): Promise<StaticServer> {
  const routes = new Map<string, CannedResponse>();
  const seen: SeenRequest[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    const path = request.url ?? '/';
    seen.push({
      line: `${request.method ?? 'GET'} ${path}`,
      authorization: request.headers.authorization,
      accept: request.headers.accept,
    });
    const answer = routes.get(path);
    if (
      answer === undefined ||
      (answer.requireAuthorization !== undefined &&
        request.headers.authorization !== answer.requireAuthorization)
    ) {
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"message":"Not Found"}');
      return;
    }
    const body = typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;
    response
      .writeHead(answer.status ?? 200, { 'content-length': String(body.length), ...answer.headers })
      .end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    routes,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
