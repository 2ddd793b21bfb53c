import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  isStreamErrorLine,
  parseCapabilitiesOutput,
  parseErrorBody,
  parseHealthBody,
  type CapabilitiesDocument,
} from '@plugboard/protocol';
import { makeTempDir } from '@plugboard/test-support';
import {
  call,
  EXAMPLES,
  killQuietly,
  runToEnd,
  SDK_ROOT,
  startPlugin,
  streamLines,
  within,
  type PluginProcess,
} from './plugin-process.js';

function plugboardDocument(stdout: string): CapabilitiesDocument {
  const output = parseCapabilitiesOutput(stdout);
  if (output.format !== 'plugboard')
    assert.fail(`expected a plugboard/1 document, got ${output.format}`);
  return output.document;
}

test('capabilities prints one document that the protocol parser accepts, and exits 0', async () => {
  const result = await runToEnd(EXAMPLES.echo, ['capabilities']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.trim().split('\n').length, 1);
  const document = plugboardDocument(result.stdout);
  assert.equal(document.name, 'echo-plugin');
  const echo = document.capabilities[0];
  assert.equal(echo?.type, 'echo');
  assert.deepEqual([...(echo?.endpoints ?? [])].sort(), [
    'config',
    'count',
    'echo',
    'fail',
    'sleep',
  ]);
  assert.deepEqual(echo?.streaming, ['count']);
  assert.ok(echo?.schemas?.['count'] !== undefined);
});

test('the plugboard-plugin runner serves a module whose default export is a definition', async () => {
  const result = await runToEnd(process.execPath, [
    EXAMPLES.runner,
    EXAMPLES.echoDefinition,
    'capabilities',
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(plugboardDocument(result.stdout).name, 'echo-plugin');
  const missing = await runToEnd(process.execPath, [EXAMPLES.runner]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /usage: plugboard-plugin <module.js>/);
  const notAPlugin = await runToEnd(process.execPath, [
    EXAMPLES.runner,
    EXAMPLES.sdkIndex,
    'capabilities',
  ]);
  assert.equal(notAPlugin.code, 1);
  assert.match(notAPlugin.stderr, /no default export/);
});

test('a bad command line exits 2 with the usage', async () => {
  for (const args of [[], ['serve'], ['launch']]) {
    const result = await runToEnd(EXAMPLES.echo, args);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, /usage: <plugin> capabilities \| <plugin> serve --socket <path>/);
    assert.equal(result.stdout, '');
  }
});

describe('a serving echo plugin', () => {
  let dir: { path: string; remove(): void };
  let plugin: PluginProcess | undefined;
  let socketPath: string;

  before(async () => {
    dir = makeTempDir('pb-sdk-');
    socketPath = join(dir.path, 'p.sock');
    plugin = await startPlugin(EXAMPLES.echo, socketPath, {
      config: { greeting: 'hi', token: 's3cret' },
    });
  });
  after(async () => {
    if (plugin !== undefined) {
      plugin.child.stdin.end();
      await within(plugin.exited, 15_000, 'echo plugin exit').catch(() => killQuietly(plugin));
    }
    dir.remove();
  });

  test('prints a handshake with its unix address and pid, and an owner-only socket', () => {
    assert.ok(plugin !== undefined);
    assert.deepEqual(plugin.address, { kind: 'unix', path: socketPath });
    assert.equal(plugin.handshake.pid, plugin.child.pid);
    const mode = statSync(socketPath).mode;
    assert.ok(statSync(socketPath).isSocket());
    assert.equal(mode & 0o077, 0, `socket mode ${(mode & 0o777).toString(8)}`);
  });

  test('GET /healthz answers status ok with calls in flight', async () => {
    assert.ok(plugin !== undefined);
    const idle = await call(plugin.address, 'GET', '/healthz');
    assert.equal(idle.status, 200);
    assert.deepEqual(parseHealthBody(idle.json()), { status: 'ok', in_flight: 0 });
    const slow = call(plugin.address, 'POST', '/v1/echo/sleep', { ms: 1500 });
    let busy = 0;
    for (let attempt = 0; attempt < 50 && busy === 0; attempt++) {
      busy = parseHealthBody((await call(plugin.address, 'GET', '/healthz')).json()).in_flight;
      if (busy === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(busy, 1);
    assert.equal((await slow).status, 200);
  });

  test('a JSON call answers the handler result', async () => {
    assert.ok(plugin !== undefined);
    const answer = await call(plugin.address, 'POST', '/v1/echo/echo', { hello: ['world', 1] });
    assert.equal(answer.status, 200);
    assert.match(String(answer.headers['content-type']), /^application\/json/);
    assert.deepEqual(answer.json(), { echo: { hello: ['world', 1] } });
  });

  test('handlers see the configuration from stdin', async () => {
    assert.ok(plugin !== undefined);
    const answer = await call(plugin.address, 'POST', '/v1/echo/config');
    assert.deepEqual(answer.json(), { config: { greeting: 'hi', token: 's3cret' } });
  });

  test('an NDJSON stream arrives line by line, before the handler has finished', async () => {
    assert.ok(plugin !== undefined);
    const arrivals: { value: unknown; at: number }[] = [];
    const started = Date.now();
    let contentType: string | undefined;
    for await (const line of streamLines(plugin.address, '/v1/echo/count', {
      n: 3,
      interval_ms: 400,
    })) {
      contentType = line.contentType;
      arrivals.push({ value: line.value, at: Date.now() - started });
    }
    assert.equal(contentType, 'application/x-ndjson');
    assert.deepEqual(
      arrivals.map((a) => a.value),
      [{ i: 0 }, { i: 1 }, { i: 2 }],
    );
    // The handler waits 400 ms between items; had the answer been buffered, every line would
    // arrive together at the end. The margin is a full interval, not a tight timing.
    const [first, , last] = arrivals;
    assert.ok(first !== undefined && last !== undefined);
    assert.ok(
      last.at - first.at >= 400,
      `lines arrived ${first.at} ms and ${last.at} ms after the call`,
    );
  });

  test('a large stream arrives whole and in order', async () => {
    assert.ok(plugin !== undefined);
    let expected = 0;
    for await (const line of streamLines(plugin.address, '/v1/echo/count', { n: 20_000 })) {
      assert.deepEqual(line.value, { i: expected });
      expected++;
    }
    assert.equal(expected, 20_000);
  });

  test('an error mid-stream becomes the final error line', async () => {
    assert.ok(plugin !== undefined);
    const values: unknown[] = [];
    for await (const line of streamLines(plugin.address, '/v1/echo/count', { n: 5, fail_at: 2 }))
      values.push(line.value);
    assert.deepEqual(values.slice(0, 2), [{ i: 0 }, { i: 1 }]);
    assert.equal(values.length, 3);
    assert.ok(isStreamErrorLine(values[2]));
    assert.equal(parseErrorBody(values[2])?.error.code, 'UNAVAILABLE');
  });

  test('a handler error with a code answers that code; others answer PLUGIN_CALL_FAILED without a stack', async () => {
    assert.ok(plugin !== undefined);
    const coded = await call(plugin.address, 'POST', '/v1/echo/fail', {
      code: 'NOT_FOUND',
      message: 'no such thing',
    });
    assert.equal(coded.status, 404);
    assert.deepEqual(coded.json(), {
      error: { code: 'NOT_FOUND', message: 'no such thing', details: { asked: true } },
    });
    const plain = await call(plugin.address, 'POST', '/v1/echo/fail', { message: 'boom' });
    assert.equal(plain.status, 500);
    assert.deepEqual(plain.json(), { error: { code: 'PLUGIN_CALL_FAILED', message: 'boom' } });
    assert.doesNotMatch(plain.text, /\bat .*\.js:\d+/);
  });

  test('input violating the endpoint schema answers INVALID_ARGUMENT naming the path', async () => {
    assert.ok(plugin !== undefined);
    const answer = await call(plugin.address, 'POST', '/v1/echo/count', {
      n: 'three',
      surplus: true,
    });
    assert.equal(answer.status, 400);
    const body = parseErrorBody(answer.json());
    assert.equal(body?.error.code, 'INVALID_ARGUMENT');
    assert.match(body?.error.message ?? '', /\bn: must be integer/);
    const problems = body?.error.details?.['problems'] as { path: string }[];
    assert.deepEqual(problems.map((p) => p.path).sort(), ['n', 'surplus']);
    const missing = parseErrorBody(
      (await call(plugin.address, 'POST', '/v1/echo/sleep', {})).json(),
    );
    assert.match(missing?.error.message ?? '', /\bms: is required/);
  });

  test('a body that is not JSON answers INVALID_ARGUMENT; unknown routes answer NOT_FOUND', async () => {
    assert.ok(plugin !== undefined);
    const garbage = await call(plugin.address, 'POST', '/v1/echo/echo', '{"hello":');
    assert.equal(garbage.status, 400);
    assert.equal(parseErrorBody(garbage.json())?.error.code, 'INVALID_ARGUMENT');
    for (const [method, path] of [
      ['POST', '/v1/echo/missing'],
      ['POST', '/v1/other/echo'],
      ['GET', '/v1/echo/echo'],
      ['GET', '/'],
    ] as const) {
      const answer = await call(plugin.address, method, path);
      assert.equal(answer.status, 404, `${method} ${path}`);
      assert.equal(parseErrorBody(answer.json())?.error.code, 'NOT_FOUND');
    }
  });

  test('nothing but the handshake is printed on stdout', () => {
    assert.deepEqual(plugin?.laterStdout, []);
  });
});

test('the fixture manifests agree with what the examples print', async () => {
  for (const [name, launcher] of [
    ['echo-plugin', EXAMPLES.echo],
    ['example-provider', EXAMPLES.provider],
  ] as const) {
    const dir = new URL(`test/fixtures/plugins/${name}/0.1.0/`, SDK_ROOT);
    const manifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')) as {
      name: string;
      version: string;
      capabilities: { type: string; endpoints: string[] }[];
      runtime: { entrypoint: string };
    };
    const viaManifest = await runToEnd(process.execPath, [
      new URL(manifest.runtime.entrypoint, dir).pathname,
      'capabilities',
    ]);
    const viaLauncher = await runToEnd(launcher, ['capabilities']);
    assert.equal(viaManifest.stdout, viaLauncher.stdout);
    const document = plugboardDocument(viaLauncher.stdout);
    assert.equal(manifest.name, document.name);
    assert.equal(manifest.version, document.version);
    assert.deepEqual(
      manifest.capabilities.map((c) => [c.type, c.endpoints]),
      document.capabilities.map((c) => [c.type, c.endpoints]),
    );
  }
});
