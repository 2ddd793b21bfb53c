import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance, type HTTPMethods } from 'fastify';
import { isErrorCode } from '@plugboard/core';
import { answerFrameworkError, installErrorHandling } from '../../src/app/error-handler.js';
import {
  EXAMPLE_PASSWORD,
  createProviderTestServer,
  exampleProviderPackage,
  multipartFile,
  type ProviderTestServer,
} from '../helpers/provider-test-server.js';
import { pluginPackage } from '../publish/publish-packages.js';

/**
 * Every route of the whole app (providers and the `/api/inventory/v1/…` aliases included) gets
 * hostile path parameters, query strings, bodies and content types as admin. No answer may be a
 * 5xx, and every 4xx must be `{"error":{code, message, requestId}}` with a code from core's table.
 */

/** One method + URL pattern the app registers, e.g. `GET /api/v1/plugins/:name`. */
interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
}

/** Whether the app registers `method url` (Fastify adds HEAD to a GET route on its own). */
function isRegistered(app: FastifyInstance, method: string, url: string): boolean {
  const has = (m: string) => app.hasRoute({ method: m, url });
  return has(method) || (method === 'HEAD' && has('GET'));
}

/**
 * The routes of `app.printRoutes({commonPrefix: false})`: a tree where each line adds a segment
 * to its parent's path (4 characters of indentation per level) and lists its methods. The tree
 * leaves out a method-less static node above a wildcard (`static/` of `docs/static/*`): such a
 * segment is completed with the folder part of a sibling's label (`static/index.html`).
 */
function registeredRoutes(app: FastifyInstance): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  const parents: string[] = [];
  const siblings: string[][] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^(.*?)(?:├── |└── )(.+?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (match === null) continue;
    const depth = [...(match[1] ?? '')].length / 4;
    const label = match[2] ?? '';
    const methods = (match[3] ?? '').split(', ').filter((method) => method !== '');
    const parent = parents[depth - 1] ?? '';
    const labels = (siblings[depth] ??= []);
    siblings.length = depth + 1;
    let url = parent + label;
    const first = methods[0];
    if (first !== undefined && !isRegistered(app, first, url)) {
      const folders = labels.map((sibling) => sibling.slice(0, sibling.lastIndexOf('/') + 1));
      const folder = folders.find((f) => f !== '' && isRegistered(app, first, parent + f + label));
      if (folder !== undefined) url = parent + folder + label;
    }
    labels.push(label);
    parents[depth] = url;
    parents.length = depth + 1;
    for (const method of methods) routes.push({ method, url });
  }
  return routes;
}

/** Hostile values of one path parameter (already in URL form). */
const HOSTILE_PARAMS: readonly string[] = [
  '',
  '%20',
  '%09',
  'a'.repeat(2000),
  '..',
  '%2e%2e',
  '..%2f..%2fetc%2fpasswd',
  '%00',
  'a%00b',
  '%ff',
  '%e0%a4%a',
  encodeURIComponent('😀🔌'),
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '-1',
  '1e309',
  'NaN',
];

/** Hostile query strings (without the `?`). */
const HOSTILE_QUERIES: readonly string[] = [
  'unknown_key=1&another=%00',
  'limit=1&limit=2',
  'limit=-1',
  'limit=1e309',
  'limit=0',
  'limit=99999999999999999999',
  'page=NaN',
  'page=-1&page=x',
  'cursor=%ff&cursor=',
  '__proto__=1&constructor=2&__proto__[x]=3',
  'q=%00&name=..&state=%ff&force=maybe&domain=__proto__',
  'a'.repeat(2000) + '=1',
];

function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** Hostile bodies with their content type. */
const HOSTILE_BODIES: readonly { readonly type?: string; readonly payload: string | Buffer }[] = [
  { type: 'application/json', payload: '{"name": ' },
  { type: 'application/json', payload: '{"name": "x",}' },
  { type: 'application/json', payload: '[]' },
  { type: 'application/json', payload: '[1, "a", null]' },
  { type: 'application/json', payload: '"a string"' },
  { type: 'application/json', payload: '42' },
  { type: 'application/json', payload: 'null' },
  { type: 'application/json', payload: 'true' },
  { type: 'application/json', payload: '{}' },
  { type: 'application/json', payload: '{"__proto__": {"admin": true}, "name": "x"}' },
  { type: 'application/json', payload: '{"constructor": {"prototype": {"x": 1}}}' },
  {
    type: 'application/json',
    payload: '{"name": 1, "version": [], "config": "x", "id": {}, "role": null}',
  },
  { type: 'application/json', payload: nested(10_000) },
  { type: 'application/json', payload: '['.repeat(10_000) + ']'.repeat(10_000) },
  { type: 'application/json', payload: '' },
  { type: 'application/json; charset=utf-16', payload: '{}' },
  { type: 'text/plain', payload: 'just text' },
  { type: 'text/plain', payload: '' },
  { type: 'application/octet-stream', payload: Buffer.from([0, 1, 2, 255, 254]) },
  { type: 'application/octet-stream', payload: Buffer.alloc(0) },
  { type: 'application/gzip', payload: Buffer.from('not gzip') },
  { type: 'application/zip', payload: Buffer.from('PK\u0003\u0004 truncated') },
  { type: 'multipart/form-data', payload: '--x\r\nContent-Disposition: form-data\r\n\r\n' },
  { type: 'multipart/form-data; boundary=x', payload: 'no parts at all' },
  { type: 'multipart/form-data; boundary=x', payload: '' },
  { type: 'application/x-www-form-urlencoded', payload: 'a=1&b=2' },
  { type: 'application/yaml', payload: 'a: [unclosed' },
  { type: 'application/yaml', payload: '- list\n- items\n' },
  { type: 'image/png', payload: Buffer.from([137, 80, 78, 71]) },
  { payload: '{"name": "x"}' },
];

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Path parameter values that name things the sweep created, so routes get past "not found". */
interface KnownIds {
  readonly provider: string;
  readonly run: string;
  readonly token: string;
}

/** The value of `:param` in `url` that names an existing thing (or `x` when nothing fits). */
function knownValue(url: string, param: string, ids: KnownIds): string {
  if (param === ':name') return 'sweep-plugin';
  if (param === ':version') return '1.0.0';
  if (param === ':tag') return 'stable';
  if (param === ':key') return 'example:static';
  if (param === ':id' && url.includes('/providers/')) return ids.provider;
  if (param === ':id' && url.includes('/runs/')) return ids.run;
  if (param === ':id' && url.includes('/tokens/')) return ids.token;
  if (param === ':id' && url.includes('/repositories/')) return 'local';
  return 'x';
}

/** `url` with every `:param` (and a `*`) replaced by `value(index, param)`. */
function fillPath(url: string, value: (index: number, param: string) => string): string {
  let index = 0;
  return url.replace(/:[A-Za-z_]+|\*/gu, (param) => value(index++, param));
}

function parameterCount(url: string): number {
  return (url.match(/:[A-Za-z_]+|\*/gu) ?? []).length;
}

/** One hostile request, as `app.inject` takes it. */
interface HostileRequest {
  readonly method: HTTPMethods;
  readonly url: string;
  readonly payload?: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The hostile requests of one route. */
function hostileRequests(route: RegisteredRoute, ids: KnownIds): HostileRequest[] {
  const method = route.method;
  const known = (_index: number, param: string) => knownValue(route.url, param, ids);
  const plain = fillPath(route.url, known);
  const requests: HostileRequest[] = [];
  for (let target = 0; target < parameterCount(route.url); target++) {
    for (const hostile of HOSTILE_PARAMS) {
      requests.push({
        method,
        url: fillPath(route.url, (index, param) =>
          index === target ? hostile : known(index, param),
        ),
      });
    }
  }
  for (const query of HOSTILE_QUERIES) requests.push({ method, url: `${plain}?${query}` });
  if (BODY_METHODS.has(route.method)) {
    for (const body of HOSTILE_BODIES) {
      requests.push({
        method,
        url: plain,
        payload: body.payload,
        headers: body.type === undefined ? {} : { 'content-type': body.type },
      });
    }
  }
  return requests;
}

/** What is wrong with one answer, or undefined when it is fine. */
function problemOf(
  response: { statusCode: number; body: string },
  method: string,
): string | undefined {
  if (response.statusCode >= 500) return `status ${response.statusCode}: ${response.body}`;
  if (response.statusCode < 400 || method === 'HEAD') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    return `status ${response.statusCode} with a body that is not JSON: ${response.body}`;
  }
  const error = (parsed as { error?: Record<string, unknown> } | null)?.error;
  if (
    typeof error !== 'object' ||
    error === null ||
    !isErrorCode(error['code']) ||
    typeof error['message'] !== 'string' ||
    error['message'] === '' ||
    typeof error['requestId'] !== 'string' ||
    error['requestId'] === ''
  ) {
    return `status ${response.statusCode} with a malformed error body: ${response.body}`;
  }
  return undefined;
}

let server: ProviderTestServer;
let routes: RegisteredRoute[];
let ids: KnownIds;

/** `request`, which must answer `status`; returns the JSON body. */
async function expectStatus(
  status: number,
  request: Parameters<ProviderTestServer['request']>[0],
): Promise<Record<string, unknown>> {
  const response = await server.request(request);
  assert.equal(response.statusCode, status, response.body);
  return response.json();
}

/**
 * A LOCAL plugin `sweep-plugin@1.0.0` tagged `stable`, the example provider plugin, a provider
 * with a queued run (no worker runs it) and a token: hostile input then meets routes that get
 * past "not found" to their real work.
 */
async function seed(): Promise<KnownIds> {
  await expectStatus(201, {
    method: 'POST',
    url: '/api/v1/publish',
    payload: pluginPackage('sweep-plugin', '1.0.0'),
    headers: { 'content-type': 'application/gzip' },
  });
  await expectStatus(200, {
    method: 'PUT',
    url: '/api/v1/plugins/sweep-plugin/dist-tags/stable',
    payload: { version: '1.0.0' },
  });
  await expectStatus(201, {
    method: 'POST',
    url: '/api/v1/provider-plugins/upload',
    ...multipartFile('plugin', 'plugin.tar.gz', exampleProviderPackage()),
  });
  const provider = await expectStatus(201, {
    method: 'POST',
    url: '/api/v1/providers',
    payload: {
      name: 'sweep-provider',
      vendor: 'example',
      provider_type: 'static',
      connection_config: { password: EXAMPLE_PASSWORD },
    },
  });
  const run = await expectStatus(202, {
    method: 'POST',
    url: `/api/v1/providers/${String(provider['id'])}/collect`,
  });
  const token = await expectStatus(201, {
    method: 'POST',
    url: '/api/v1/tokens',
    payload: { name: 'sweep token', role: 'reader' },
  });
  return { provider: String(provider['id']), run: String(run['id']), token: String(token['id']) };
}

before(async () => {
  server = await createProviderTestServer({ concurrency: 0 });
  await server.app.ready();
  routes = registeredRoutes(server.app);
  ids = await seed();
});
after(async () => {
  await server.close();
  server.remove();
});

test('the route list holds every registered route, the inventory aliases included', () => {
  for (const route of routes) {
    assert.ok(
      isRegistered(server.app, route.method, route.url),
      `${route.method} ${route.url} is parsed from printRoutes but not registered`,
    );
  }
  const urls = new Set(routes.map((route) => `${route.method} ${route.url}`));
  for (const expected of [
    'GET /api/v1/healthz',
    'POST /api/v1/publish',
    'PATCH /api/v1/plugins/:name',
    'POST /api/v1/plugins/:name/:version/yank',
    'PUT /api/v1/providers/:id',
    'POST /api/v1/provider-plugins/upload',
    'POST /api/inventory/v1/providers/:id/collect/',
    'GET /api/inventory/v1/resources/:id/',
  ]) {
    assert.ok(urls.has(expected), `${expected} is missing from ${[...urls].join(', ')}`);
  }
});

test('every route answers hostile paths, queries and bodies with a 4xx and a coded error', async () => {
  const problems: string[] = [];
  let sent = 0;
  // Deletions last, so the other routes still find what the seed created.
  const ordered = [...routes].sort(
    (a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'),
  );
  for (const route of ordered) {
    for (const request of hostileRequests(route, ids)) {
      const response = await server.request(request);
      sent++;
      const problem = problemOf(response, route.method);
      if (problem !== undefined) {
        const type = request.headers?.['content-type'] ?? 'no content-type';
        const body =
          request.payload === undefined
            ? ''
            : ` [${type}] ${request.payload.toString().slice(0, 60)}`;
        problems.push(
          `${request.method} ${request.url.slice(0, 120)}${body}: ${problem.slice(0, 300)}`,
        );
      }
    }
  }
  assert.ok(sent > 1000, `only ${sent} hostile requests were sent`);
  assert.deepEqual(problems, [], `${problems.length} of ${sent} answers were wrong`);

  const polluted = {} as Record<string, unknown>;
  assert.equal(polluted['admin'], undefined, '`__proto__` keys of a body reached Object.prototype');
  assert.equal(polluted['x'], undefined, '`constructor.prototype` keys reached Object.prototype');
  const health = await server.request({ method: 'GET', url: '/api/v1/healthz' });
  assert.equal(health.statusCode, 200, health.body);
});

test('a URL with broken percent-encoding or an over-long segment gets a coded error body', async () => {
  for (const url of ['/api/v1/plugins/%ff', `/api/v1/plugins/${'a'.repeat(2000)}`]) {
    const response = await server.request({ method: 'GET', url });
    assert.ok(response.statusCode >= 400 && response.statusCode < 500, response.body);
    assert.equal(problemOf(response, 'GET'), undefined);
  }
});

test('answerFrameworkError gives broken URLs and over-long path segments our error body', async () => {
  const app = Fastify({ frameworkErrors: answerFrameworkError });
  installErrorHandling(app);
  app.get('/plugins/:name', async (request) => request.params);
  for (const [url, message] of [
    ['/plugins/%ff', 'the URL is not valid percent-encoding'],
    [`/plugins/${'a'.repeat(2000)}`, 'a path segment of the URL is too long'],
  ] as const) {
    const response = await app.inject({ url });
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(problemOf(response, 'GET'), undefined);
    assert.equal(response.json<{ error: { message: string } }>().error.message, message);
  }
  await app.close();
});
