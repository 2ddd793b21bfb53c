import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';

/** Bytes the test registry serves as the artifact of `echo@1.0.0`. */
export const ARTIFACT_BYTES = Buffer.from('pretend this is a gzip tar '.repeat(5000));
/** Their digest. */
export const ARTIFACT_DIGEST = `sha256:${createHash('sha256').update(ARTIFACT_BYTES).digest('hex')}`;

/** What the test registry saw, for assertions. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
}

/** A real Fastify server speaking a small part of the registry API. */
export interface TestRegistry {
  readonly app: FastifyInstance;
  /** `http://127.0.0.1:<port>/api/v1` */
  readonly url: string;
  readonly seen: SeenRequest[];
  /** Bodies received by `POST /publish`. */
  readonly published: Buffer[];
  /** `X-Plugboard-Signature` headers received by `POST /publish`. */
  readonly signatureHeaders: (string | undefined)[];
  close(): Promise<void>;
}

const summary = {
  name: 'echo',
  display_name: 'Echo',
  providers: [],
  labels: ['demo'],
  capabilities: ['echo'],
  tags: {},
  enabled: true,
  state: 'enabled',
  repository_type: 'LOCAL',
  repository: { type: 'LOCAL', id: 'local', name: 'local' },
  latest_version: '1.0.0',
  deprecated: false,
  signed: false,
};

/**
 * Starts the test registry on 127.0.0.1 (port 0). Routes behave like the Plugboard server's, plus
 * misbehaving ones: `/plugins/slow` never answers in time, `/plugins/broken` answers an HTML 502,
 * `/plugins/teapot` an unknown code, `/plugins/garbage` a non-JSON 200, `stall@1.0.0` stalls its
 * artifact body halfway.
 */
export async function startTestRegistry(): Promise<TestRegistry> {
  const app = Fastify({ logger: false });
  const seen: SeenRequest[] = [];
  const published: Buffer[] = [];
  const signatureHeaders: (string | undefined)[] = [];
  app.addHook('onRequest', async (request) => {
    seen.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.authorization,
      contentType: request.headers['content-type'],
    });
  });
  app.addContentTypeParser('application/gzip', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
  const notFound = (name: string) => ({
    error: { code: 'PLUGIN_NOT_FOUND', message: `no plugin named "${name}"`, details: { name } },
  });
  app.get('/api/v1/healthz', async () => ({ status: 'ok' }));
  app.get('/api/v1/plugins', async (request) => ({
    plugins: [summary],
    total: 1,
    page: 1,
    limit: 50,
    warnings: ['REMOTE repository "x" left out: down'],
    echoedQuery: request.query,
  }));
  app.get('/api/v1/search', async () => ({ plugins: [summary] }));
  app.get<{ Params: { name: string } }>('/api/v1/plugins/:name', async (request, reply) => {
    const { name } = request.params;
    switch (name) {
      case 'echo':
        return {
          ...summary,
          versions: [versionView],
          dist_tags: { latest: '1.0.0' },
          manifest: { name: 'echo', version: '1.0.0' },
        };
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, 5_000));
        return { ...summary, versions: [] };
      case 'broken':
        return reply.status(502).type('text/html').send('<html>Bad Gateway</html>');
      case 'teapot':
        return reply
          .status(418)
          .send({ error: { code: 'I_AM_A_TEAPOT', message: 'short and stout' } });
      case 'garbage':
        return reply.type('application/json').send('{"not json');
      case 'huge':
        return { ...summary, versions: [], padding: 'x'.repeat(100_000) };
      default:
        return reply.status(404).send(notFound(name));
    }
  });
  app.get('/api/v1/plugins/echo/versions', async () => ({
    versions: [versionView],
    total: 1,
    page: 1,
    limit: 50,
    warnings: [],
  }));
  app.get('/api/v1/plugins/echo/resolve', async (request) => ({
    version: '1.0.0',
    repository_type: 'LOCAL',
    digest: ARTIFACT_DIGEST,
    spec: (request.query as Record<string, string>)['spec'],
  }));
  app.get('/api/v1/plugins/echo/1.0.0/manifest', async () => ({ name: 'echo', version: '1.0.0' }));
  app.get('/api/v1/plugins/echo/1.0.0/artifact', async (_request, reply) =>
    reply
      .type('application/vnd.plugboard.plugin.v1+tar+gzip')
      .header('etag', `"${ARTIFACT_DIGEST}"`)
      .header('content-length', ARTIFACT_BYTES.length)
      .send(Readable.from(chunksOf(ARTIFACT_BYTES, 16_384))),
  );
  app.get('/api/v1/plugins/echo/2.0.0/artifact', async (_request, reply) => {
    const base64 = Buffer.from(ARTIFACT_DIGEST.slice('sha256:'.length), 'hex').toString('base64');
    return reply
      .type('application/gzip')
      .header('digest', `sha-256=${base64}`)
      .send(ARTIFACT_BYTES);
  });
  app.get('/api/v1/plugins/stall/1.0.0/artifact', async (_request, reply) => {
    const stalled = new Readable({ read() {} });
    stalled.push(ARTIFACT_BYTES.subarray(0, 1000));
    return reply.type('application/gzip').send(stalled);
  });
  app.post('/api/v1/publish', async (request, reply) => {
    const body = request.body as Buffer;
    published.push(body);
    signatureHeaders.push(request.headers['x-plugboard-signature'] as string | undefined);
    return reply.status(201).send({
      name: 'echo',
      version: '1.1.0',
      digest: `sha256:${createHash('sha256').update(body).digest('hex')}`,
      size: body.length,
      media_type: 'application/gzip',
      published: '2024-01-01T00:00:00.000Z',
      signatures: [],
      format: 'native',
      plugin_created: false,
      artifact_url: 'http://example/artifact',
      warnings: [],
    });
  });
  app.delete('/api/v1/repositories/:id', async (_request, reply) => reply.status(204).send());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    app,
    url: `http://127.0.0.1:${port}/api/v1`,
    seen,
    published,
    signatureHeaders,
    close: () => app.close(),
  };
}

const versionView = {
  version: '1.0.0',
  published: '2024-01-01T00:00:00.000Z',
  yanked: false,
  digest: ARTIFACT_DIGEST,
  size: ARTIFACT_BYTES.length,
  signatures: [],
};

function* chunksOf(bytes: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size)
    yield bytes.subarray(offset, offset + size);
}
