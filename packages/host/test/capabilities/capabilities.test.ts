import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isPlugboardError } from '@plugboard/core';
import { makeTempDir } from '@plugboard/test-support';
import {
  CAPABILITIES_CACHE_FILE,
  CapabilitiesCache,
  discoverPlugins,
  readCapabilitiesOutput,
  runCapabilitiesCommand,
  type PluginLaunch,
} from '../../src/index.js';
import {
  countingSpawner,
  fixturePath,
  isAlive,
  makePluginRoot,
  waitFor,
} from '../helpers/fixtures.js';

const cleanups: (() => void)[] = [];
after(() => cleanups.forEach((cleanup) => cleanup()));

function scriptLaunch(body: string): PluginLaunch {
  const dir = makeTempDir('plugboard-caps-');
  cleanups.push(() => dir.remove());
  const file = join(dir.path, 'plugin');
  writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return { command: file, args: [], cwd: dir.path, entrypoint: file };
}

describe('readCapabilitiesOutput', () => {
  test('reads a plugboard/1 document', () => {
    const read = readCapabilitiesOutput(
      JSON.stringify({
        protocol: 'plugboard/1',
        name: 'vc',
        version: '1.2.3',
        capabilities: [
          {
            type: 'provider',
            endpoints: ['connect', 'collect'],
            schemas: { connect: { type: 'object' }, collect: true },
            vendor: 'vmware',
          },
        ],
        config_schema: { type: 'object' },
      }),
      'vc',
    );
    assert.equal(read.format, 'plugboard/1');
    assert.equal(read.version, '1.2.3');
    assert.deepEqual(read.capabilities[0]?.schemas, { connect: { type: 'object' }, collect: {} });
    assert.equal(read.capabilities[0]?.vendor, 'vmware');
    assert.deepEqual(read.configSchema, { type: 'object' });
  });

  test("reads OCM's form, decoding base64 JSON Schemas as Go prints them", () => {
    const read = readCapabilitiesOutput(
      readFileSync(fixturePath('plugins', 'shell-ocm'), 'utf8')
        .split('\n')
        .find((l) => l.startsWith('{"capabilities"')) ?? '',
      'shell-ocm',
    );
    assert.equal(read.format, 'ocm');
    assert.deepEqual(
      read.capabilities.map((c) => [c.type, c.name, c.aliases]),
      [
        ['componentVersionRepository', 'OCIRepository/v1', ['OCIRepository', 'oci']],
        ['credentialRepository', 'DockerConfig/v1', undefined],
      ],
    );
    assert.deepEqual(read.capabilities[0]?.schemas?.['OCIRepository/v1']?.['required'], [
      'baseUrl',
    ]);
  });

  test('checkSchemas: false parses without the meta-schema check (for outputs checked before)', () => {
    const text = JSON.stringify({
      protocol: 'plugboard/1',
      name: 'x',
      version: '1.0.0',
      capabilities: [{ type: 'a', endpoints: ['e'], schemas: { e: { type: 12 } } }],
    });
    assert.throws(() => readCapabilitiesOutput(text, 'x'), /invalid JSON Schemas/);
    const read = readCapabilitiesOutput(text, 'x', { checkSchemas: false });
    assert.deepEqual(read.capabilities[0]?.schemas, { e: { type: 12 } });
    // Parsing still applies: a document that is not plugboard/1 or OCM is refused either way.
    assert.throws(() =>
      readCapabilitiesOutput('{"protocol":"nope"}', 'x', { checkSchemas: false }),
    );
  });

  test('reports every invalid JSON Schema with its path', () => {
    assert.throws(
      () =>
        readCapabilitiesOutput(
          JSON.stringify({
            protocol: 'plugboard/1',
            name: 'x',
            version: '1.0.0',
            capabilities: [
              { type: 'a', endpoints: ['e'], schemas: { e: { type: 12 } } },
              { type: 'b', endpoints: ['f'], schemas: { f: { minLength: 'three' } } },
            ],
          }),
          'x',
        ),
      (error) => {
        assert.ok(isPlugboardError(error, 'PLUGIN_PROTOCOL_ERROR'));
        const paths = error.problems.map((p) => p.path);
        assert.ok(
          paths.some((p) => p.startsWith('capabilities[0].schemas.e')),
          paths.join(),
        );
        assert.ok(
          paths.some((p) => p.startsWith('capabilities[1].schemas.f')),
          paths.join(),
        );
        return true;
      },
    );
  });

  test('a wrong protocol or missing fields is a protocol error naming the fields', () => {
    assert.throws(
      () => readCapabilitiesOutput('{"protocol":"plugboard/9","capabilities":[]}', 'x'),
      (error) => {
        assert.ok(isPlugboardError(error, 'PLUGIN_PROTOCOL_ERROR'));
        assert.deepEqual(error.problems.map((p) => p.path).sort(), ['name', 'protocol', 'version']);
        return true;
      },
    );
    assert.throws(() => readCapabilitiesOutput('hello', 'x'), { code: 'PLUGIN_PROTOCOL_ERROR' });
  });
});

describe('runCapabilitiesCommand', () => {
  test('returns stdout of `EXE capabilities` and passes PLUGBOARD_PROTOCOL', async () => {
    const launch = scriptLaunch('echo "$1 $PLUGBOARD_PROTOCOL"');
    assert.equal(
      await runCapabilitiesCommand(launch, { plugin: 'p' }),
      'capabilities plugboard/1\n',
    );
  });

  test('kills a command that runs past the timeout, with its children', async () => {
    const dir = makeTempDir('plugboard-caps-');
    cleanups.push(() => dir.remove());
    const pidFile = join(dir.path, 'child.pid');
    const launch = scriptLaunch(`sleep 300 & echo $! > ${pidFile}; wait`);
    await assert.rejects(runCapabilitiesCommand(launch, { plugin: 'slow', timeoutMs: 500 }), {
      code: 'TIMEOUT',
    });
    const childPid = Number(readFileSync(pidFile, 'utf8'));
    await waitFor('the sleeping child to be killed', () => !isAlive(childPid), 5_000);
  });

  test('kills a command that prints too much', async () => {
    const launch = scriptLaunch('yes "aaaaaaaaaaaaaaaaaaaaaaaaaaaa"');
    await assert.rejects(
      runCapabilitiesCommand(launch, { plugin: 'chatty', maxOutputBytes: 100_000 }),
      { code: 'PAYLOAD_TOO_LARGE' },
    );
  });

  test('a non-zero exit is PLUGIN_START_FAILED carrying the stderr tail', async () => {
    const launch = scriptLaunch('echo "no licence key" >&2; exit 4');
    await assert.rejects(runCapabilitiesCommand(launch, { plugin: 'p' }), (error) => {
      assert.ok(isPlugboardError(error, 'PLUGIN_START_FAILED'));
      assert.match(error.message, /code 4/);
      assert.match(error.message, /no licence key/);
      return true;
    });
  });

  test('a missing executable is PLUGIN_START_FAILED', async () => {
    await assert.rejects(
      runCapabilitiesCommand(
        { command: '/nonexistent/plugin', args: [], cwd: '/', entrypoint: '/nonexistent/plugin' },
        { plugin: 'ghost' },
      ),
      { code: 'PLUGIN_START_FAILED' },
    );
  });
});

describe('capabilities cache', () => {
  test('discovering unchanged plugins again spawns nothing, also across host instances', async () => {
    const root = makePluginRoot(['shell-ocm', 'node-echo']);
    const cacheDir = makeTempDir('plugboard-cache-');
    cleanups.push(
      () => root.remove(),
      () => cacheDir.remove(),
    );
    const countFile = join(root.path, 'shell-ocm.count');
    const runs = (): number => readFileSync(countFile, 'utf8').split('\n').filter(Boolean).length;

    const first = countingSpawner();
    const one = await discoverPlugins([root.path], {
      spawner: first,
      cache: new CapabilitiesCache({ cacheDir: cacheDir.path }),
    });
    assert.equal(one.plugins.length, 2);
    assert.equal(first.calls.length, 2);
    assert.equal(runs(), 1);

    // A fresh cache object reading the same folder: what a restarted host does.
    const second = countingSpawner();
    const two = await discoverPlugins([root.path], {
      spawner: second,
      cache: new CapabilitiesCache({ cacheDir: cacheDir.path }),
    });
    assert.equal(second.calls.length, 0);
    assert.equal(runs(), 1);
    assert.deepEqual(
      two.plugins.map((p) => p.capabilities),
      one.plugins.map((p) => p.capabilities),
    );
    const file = JSON.parse(readFileSync(join(cacheDir.path, CAPABILITIES_CACHE_FILE), 'utf8')) as {
      entries: Record<string, { sha256: string; size: number }>;
    };
    assert.equal(Object.keys(file.entries).length, 2);
  });

  test('a changed executable is asked again', async () => {
    const launch = scriptLaunch(
      'echo \'{"protocol":"plugboard/1","name":"p","version":"1.0.0","capabilities":[]}\'',
    );
    const dir = makeTempDir('plugboard-cache-root-');
    cleanups.push(() => dir.remove());
    const cache = new CapabilitiesCache();
    const spawner = countingSpawner();
    const roots = [launch.cwd];
    await discoverPlugins(roots, { spawner, cache });
    await discoverPlugins(roots, { spawner, cache });
    assert.equal(spawner.calls.length, 1);

    // Same size, same mtime, different bytes: only the sha256 tells them apart.
    const text = readFileSync(launch.entrypoint, 'utf8').replace('1.0.0', '2.0.0');
    const { mtime } = await import('node:fs').then((fs) => fs.statSync(launch.entrypoint));
    writeFileSync(launch.entrypoint, text);
    utimesSync(launch.entrypoint, mtime, mtime);
    const third = await discoverPlugins(roots, { spawner, cache });
    assert.equal(spawner.calls.length, 2);
    assert.equal(third.plugins[0]?.version, '2.0.0');
  });
});

describe('discovery concurrency', () => {
  test('at most `concurrency` capabilities commands run at once; every plugin still loads', async () => {
    const dir = makeTempDir('plugboard-concurrency-');
    cleanups.push(() => dir.remove());
    for (let i = 0; i < 6; i++) {
      const name = `slow-${i}`;
      const doc = `{"protocol":"plugboard/1","name":"${name}","version":"1.0.0","capabilities":[]}`;
      writeFileSync(join(dir.path, name), `#!/bin/sh\nsleep 0.2\necho '${doc}'\n`, {
        mode: 0o755,
      });
    }
    let running = 0;
    let most = 0;
    const spawner = countingSpawner();
    const tracking: typeof spawner = Object.assign(
      (...args: Parameters<typeof spawner>) => {
        const child = spawner(...args);
        running += 1;
        most = Math.max(most, running);
        child.once('exit', () => (running -= 1));
        return child;
      },
      { calls: spawner.calls },
    );
    const { plugins } = await discoverPlugins([dir.path], { spawner: tracking, concurrency: 2 });
    assert.equal(plugins.length, 6);
    assert.equal(spawner.calls.length, 6);
    assert.ok(most <= 2, `${most} commands ran at once`);
    assert.ok(most >= 1);
  });
});
