import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { RegistryClient, type PluginList } from '@plugboard/client';
import {
  startDownstreamRegistry,
  startUpstreamRegistry,
  type DownstreamRegistry,
  type UpstreamRegistry,
} from '../../helpers/registry-pair.js';

// The remote dies, comes back, turns slow, recovers: the downstream list always answers, the
// circuit breaker stops calling the remote, and calls resume after the cool-down.

const FAILURE_THRESHOLD = 2;
const COOLDOWN_MS = 1_500;
const REMOTE_TIMEOUT_MS = 500;
/** How long a test waits for recovery before failing (generous: the machine is noisy). */
const RECOVERY_DEADLINE_MS = 30_000;

let upstream: UpstreamRegistry;
let downstream: DownstreamRegistry;
let registry: RegistryClient;

before(async () => {
  upstream = await startUpstreamRegistry();
  await upstream.publish('remote-one', '1.0.0');
  await upstream.publish('remote-two', '1.0.0');
  downstream = await startDownstreamRegistry({
    remotes: [
      {
        name: 'flaky',
        endpoint: upstream.url,
        token: upstream.readerToken,
        timeout_ms: REMOTE_TIMEOUT_MS,
      },
    ],
    breaker: { failureThreshold: FAILURE_THRESHOLD, cooldownMs: COOLDOWN_MS },
  });
  await downstream.publish('local-one', '1.0.0');
  registry = new RegistryClient({
    url: downstream.url,
    token: await downstream.token('reader'),
    timeoutMs: 60_000,
  });
});

after(async () => {
  await downstream.close();
  await upstream.close();
});

const names = (page: PluginList) => page.plugins.map((plugin) => plugin.name);

/** Lists until the remote's plugins are back without warnings, or fails after the deadline. */
async function waitForRecovery(): Promise<PluginList> {
  const deadline = Date.now() + RECOVERY_DEADLINE_MS;
  for (;;) {
    const page = await registry.listPlugins();
    if (page.warnings.length === 0 && page.total === 3) return page;
    if (Date.now() > deadline) {
      assert.fail(`the remote did not come back: ${JSON.stringify(page.warnings)}`);
    }
    await sleep(COOLDOWN_MS / 3);
  }
}

test('the remote dying: the list answers with a warning, the breaker opens, then recovers', async () => {
  assert.deepEqual(names(await registry.listPlugins()), ['local-one', 'remote-one', 'remote-two']);
  // Seen once while the remote is up: its detail and artifact are remembered and cached.
  assert.equal((await registry.getPlugin('remote-one')).repository_type, 'REMOTE');
  const artifact = await readAll(await registry.downloadArtifact('remote-one', '1.0.0'));
  await upstream.stop();

  for (let failure = 1; failure <= FAILURE_THRESHOLD; failure += 1) {
    const page = await registry.listPlugins();
    assert.deepEqual(names(page), ['local-one'], 'only the remote part is left out');
    assert.equal(page.total, 1);
    assert.equal(page.warnings.length, 1);
    assert.match(page.warnings[0] ?? '', /REMOTE repository "flaky" left out: .*unreachable/);
  }

  const attempts = downstream.remoteCalls.length;
  for (let i = 0; i < 4; i += 1) {
    const page = await registry.listPlugins();
    assert.deepEqual(names(page), ['local-one']);
    assert.match(page.warnings[0] ?? '', /"flaky" left out: .*circuit open/);
  }
  assert.equal(downstream.remoteCalls.length, attempts, 'no call is attempted while open');
  assert.equal(downstream.remotes.circuit('config:flaky'), 'open');

  // A plugin seen before is answered from what the remote last said, with a warning, and its
  // cached artifact is still served.
  const stale = await registry.getPlugin('remote-one');
  assert.equal(stale.latest_version, '1.0.0');
  assert.match(stale.warnings?.[0] ?? '', /"flaky".*circuit open.*showing what it listed at/);
  const cached = await readAll(await registry.downloadArtifact('remote-one', '1.0.0'));
  assert.ok(cached.equals(artifact), 'the cached artifact is served while the remote is down');
  assert.equal(downstream.remoteCalls.length, attempts, 'still without calling the remote');

  // A plugin never seen: the detail fails fast, naming the repository and the circuit.
  await assert.rejects(registry.getPlugin('remote-two'), (error: Error) => {
    assert.equal((error as Error & { code: string }).code, 'UNAVAILABLE');
    assert.match(error.message, /REMOTE repository "flaky".*circuit open/);
    return true;
  });
  // A LOCAL plugin is still served: the catalog asks LOCAL first.
  assert.equal((await registry.getPlugin('local-one')).repository_type, 'LOCAL');

  await upstream.restart();
  const recovered = await waitForRecovery();
  assert.deepEqual(names(recovered), ['local-one', 'remote-one', 'remote-two']);
  assert.equal(downstream.remotes.circuit('config:flaky'), 'closed');
  assert.ok(downstream.logLines.some((line) => line.includes('remote repository circuit opened')));
});

test('a slow remote: timeouts leave it out, the breaker stops requests reaching it, then recovers', async () => {
  await waitForRecovery();
  upstream.delayMs = REMOTE_TIMEOUT_MS * 10;
  for (let failure = 1; failure <= FAILURE_THRESHOLD; failure += 1) {
    const page = await registry.listPlugins();
    assert.deepEqual(names(page), ['local-one']);
    assert.match(page.warnings[0] ?? '', /"flaky" left out: TIMEOUT: .*did not answer/);
  }
  const reached = upstream.requests.length;
  for (let i = 0; i < 4; i += 1) {
    const page = await registry.listPlugins();
    assert.match(page.warnings[0] ?? '', /circuit open/);
  }
  assert.equal(upstream.requests.length, reached, 'no request reaches the remote while open');

  upstream.delayMs = 0;
  const recovered = await waitForRecovery();
  assert.deepEqual(names(recovered), ['local-one', 'remote-one', 'remote-two']);
  assert.ok(upstream.requests.length > reached, 'calls resumed after the cool-down');
});

async function readAll(download: { body: AsyncIterable<Uint8Array> }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of download.body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

test('no response body or log line of these failures carries the remote token', () => {
  const leaks = [...downstream.responseBodies, ...downstream.logLines].filter((text) =>
    text.includes(upstream.readerToken),
  );
  assert.deepEqual(leaks, []);
});
