import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseCapabilitiesOutput, parseErrorBody, parseHealthBody } from '@plugboard/protocol';
import { commandWorks, makeTempDir, skipUnlessAvailable } from '@plugboard/test-support';
import { call, runToEnd, SDK_ROOT, startPlugin, streamLines, within } from './plugin-process.js';

// docs/protocol.md promises that someone can write a plugin in another language from it alone; its
// Python example is extracted from the document and run here, so the document cannot drift.

const skip = skipUnlessAvailable(
  'python3',
  commandWorks('python3'),
  'install Python 3 (apt-get install python3)',
);
const dir = makeTempDir('pb-py-');
after(() => dir.remove());

function extractPlugin(): string {
  const doc = readFileSync(new URL('../../docs/protocol.md', SDK_ROOT), 'utf8');
  const match = /```python\n([\s\S]*?)```/.exec(doc);
  assert.ok(match?.[1] !== undefined, 'docs/protocol.md has a python block');
  const path = join(dir.path, 'hello-py');
  writeFileSync(path, match[1]);
  chmodSync(path, 0o755);
  return path;
}

test('the Python plugin in docs/protocol.md speaks plugboard/1', { skip }, async () => {
  const plugin = extractPlugin();
  const capabilities = await runToEnd(plugin, ['capabilities']);
  assert.equal(capabilities.code, 0, capabilities.stderr);
  const output = parseCapabilitiesOutput(capabilities.stdout);
  assert.equal(output.format, 'plugboard');

  const socketPath = join(dir.path, 'p.sock');
  const running = await startPlugin(plugin, socketPath, { config: { any: 'thing' } });
  assert.deepEqual(running.address, { kind: 'unix', path: socketPath });
  assert.deepEqual(parseHealthBody((await call(running.address, 'GET', '/healthz')).json()), {
    status: 'ok',
    in_flight: 0,
  });
  assert.deepEqual(
    (await call(running.address, 'POST', '/v1/greeter/greet', { name: 'ada' })).json(),
    { greeting: 'hello ada' },
  );
  const invalid = await call(running.address, 'POST', '/v1/greeter/greet', {});
  assert.equal(invalid.status, 400);
  assert.deepEqual(parseErrorBody(invalid.json())?.error.details, {
    problems: [{ path: 'name', message: 'is required' }],
  });
  const values: unknown[] = [];
  for await (const line of streamLines(running.address, '/v1/greeter/count', { n: 3 }))
    values.push(line.value);
  assert.deepEqual(values, [{ i: 0 }, { i: 1 }, { i: 2 }]);
  assert.equal((await call(running.address, 'POST', '/shutdown')).status, 202);
  assert.deepEqual(await within(running.exited, 15_000, 'python plugin exit'), {
    code: 0,
    signal: null,
  });
  assert.equal(existsSync(socketPath), false);
});

test(
  'the Python plugin exits when its stdin closes, and refuses a missing configuration line',
  { skip },
  async () => {
    const plugin = extractPlugin();
    const running = await startPlugin(plugin, join(dir.path, 'q.sock'));
    running.child.stdin.end();
    assert.deepEqual(await within(running.exited, 15_000, 'exit on stdin EOF'), {
      code: 0,
      signal: null,
    });
    const noConfig = await runToEnd(plugin, ['serve', '--socket', join(dir.path, 'r.sock')], '');
    assert.equal(noConfig.code, 1);
    assert.equal(noConfig.stdout, '');
  },
);
