import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { isStreamErrorLine, parseErrorBody, TIMEOUT_HEADER } from '@plugboard/protocol';
import { createJsonLineLogger, PluginServer, type PluginDefinition } from '@plugboard/sdk';
import { makeTempDir } from '@plugboard/test-support';
import { call, streamLines, within } from './plugin-process.js';

// In-process tests of the server over a real unix socket: here the test can see inside the
// handlers (how far a generator ran, whether its signal fired), which a child process hides.

const ITEM = 'x'.repeat(1024);
const TOTAL_ITEMS = 50_000;

const state = { produced: 0, aborted: false, finallyRan: false };
const logLines: string[] = [];

const definition: PluginDefinition = {
  name: 'in-process',
  version: '1.0.0',
  capabilities: [
    {
      type: 'test',
      endpoints: {
        big: {
          stream: true,
          handler: async function* () {
            for (let i = 0; i < TOTAL_ITEMS; i++) {
              state.produced = i + 1;
              yield { i, pad: ITEM };
              if (i % 100 === 0) await Promise.resolve();
            }
          },
        },
        hang: {
          handler: (_input: unknown, { signal }) =>
            new Promise((_resolve, reject) => {
              signal.addEventListener('abort', () => {
                state.aborted = true;
                reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
              });
            }),
        },
        endless: {
          stream: true,
          handler: async function* (_input: unknown, { signal }) {
            try {
              for (let i = 0; !signal.aborted; i++) {
                yield { i };
                await sleep(5);
              }
            } finally {
              state.finallyRan = true;
            }
          },
        },
        reserved: {
          stream: true,
          handler: function* () {
            yield { ok: 1 };
            yield { error: 'looks like the error line' };
          },
        },
        nothing: { handler: () => undefined },
        circular: {
          handler: () => {
            const value: Record<string, unknown> = {};
            value['self'] = value;
            return value;
          },
        },
        failFirst: {
          stream: true,
          // eslint-disable-next-line require-yield
          handler: function* () {
            throw Object.assign(new Error('no such session'), { code: 'NOT_FOUND' });
          },
        },
        system: {
          handler: () => {
            throw Object.assign(new Error('ENOENT: no such file, open /etc/secret'), {
              code: 'ENOENT',
            });
          },
        },
      },
    },
  ],
};

describe('PluginServer in-process', () => {
  let dir: { path: string; remove(): void };
  let server: PluginServer;
  let address: Awaited<ReturnType<PluginServer['listen']>>;

  before(async () => {
    dir = makeTempDir('pb-sdk-');
    server = new PluginServer(definition, {
      log: createJsonLineLogger({ write: (line: string) => logLines.push(line) }),
      maxBodyBytes: 1024,
      shutdownGraceMs: 2_000,
    });
    address = await server.listen(join(dir.path, 's.sock'));
  });
  after(async () => {
    await server.shutdown('test over');
    dir.remove();
  });

  test('a stream respects backpressure: a reader that does not read holds the generator back', async () => {
    state.produced = 0;
    const socketPath = address.kind === 'unix' ? address.path : '';
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest(
        { socketPath, method: 'POST', path: '/v1/test/big', agent: false },
        resolve,
      );
      req.on('error', reject);
      req.end('{}');
    });
    response.pause();
    await sleep(500);
    const producedWhilePaused = state.produced;
    // 50 000 items of 1 KiB are ~50 MiB; socket and stream buffers hold a few MiB at most.
    assert.ok(
      producedWhilePaused < TOTAL_ITEMS / 2,
      `generator ran ahead to ${producedWhilePaused} items`,
    );
    let lines = 0;
    response.setEncoding('utf8');
    response.resume();
    for await (const chunk of response) lines += (chunk as string).split('\n').length - 1;
    assert.equal(lines, TOTAL_ITEMS);
    assert.equal(state.produced, TOTAL_ITEMS);
  });

  test('x-plugboard-timeout-ms aborts the handler signal and answers TIMEOUT', async () => {
    state.aborted = false;
    const answer = await within(
      call(address, 'POST', '/v1/test/hang', {}, { [TIMEOUT_HEADER]: '200' }),
      10_000,
      'timeout answer',
    );
    assert.equal(answer.status, 504);
    assert.equal(parseErrorBody(answer.json())?.error.code, 'TIMEOUT');
    assert.equal(state.aborted, true);
  });

  test('a caller that goes away aborts the signal and returns the stream generator', async () => {
    state.finallyRan = false;
    const lines = streamLines(address, '/v1/test/endless', {});
    await lines.next();
    await lines.next();
    await lines.return(undefined);
    for (let i = 0; i < 100 && !state.finallyRan; i++) await sleep(20);
    assert.equal(state.finallyRan, true);
    assert.equal(server.inFlight, 0);
  });

  test('a streamed value with a top-level error key ends the stream with an error line instead', async () => {
    const values: unknown[] = [];
    for await (const line of streamLines(address, '/v1/test/reserved', {})) values.push(line.value);
    assert.deepEqual(values[0], { ok: 1 });
    assert.equal(values.length, 2);
    assert.ok(isStreamErrorLine(values[1]));
    assert.equal(parseErrorBody(values[1])?.error.code, 'PLUGIN_CALL_FAILED');
  });

  test('a stream failing before its first value answers an ordinary error with its status', async () => {
    const answer = await call(address, 'POST', '/v1/test/failFirst', {});
    assert.equal(answer.status, 404);
    assert.equal(parseErrorBody(answer.json())?.error.code, 'NOT_FOUND');
  });

  test('undefined answers {}; an unserialisable result answers PLUGIN_CALL_FAILED', async () => {
    assert.deepEqual((await call(address, 'POST', '/v1/test/nothing')).json(), {});
    const circular = await call(address, 'POST', '/v1/test/circular');
    assert.equal(parseErrorBody(circular.json())?.error.code, 'PLUGIN_CALL_FAILED');
  });

  test('Node system error codes are not passed on as Plugboard codes', async () => {
    const answer = await call(address, 'POST', '/v1/test/system');
    assert.equal(parseErrorBody(answer.json())?.error.code, 'PLUGIN_CALL_FAILED');
  });

  test('a body over the limit answers PAYLOAD_TOO_LARGE', async () => {
    const answer = await call(address, 'POST', '/v1/test/nothing', { pad: 'y'.repeat(4096) });
    assert.equal(answer.status, 413);
    assert.equal(parseErrorBody(answer.json())?.error.code, 'PAYLOAD_TOO_LARGE');
  });

  test('records are JSON lines with level and msg, carrying the capability and endpoint', () => {
    const records = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.ok(records.length > 0);
    for (const record of records) {
      assert.ok(['debug', 'info', 'warn', 'error'].includes(String(record['level'])));
      assert.equal(typeof record['msg'], 'string');
    }
    assert.ok(
      records.some(
        (r) => r['endpoint'] === 'system' && r['capability'] === 'test' && r['level'] === 'error',
      ),
    );
  });
});
