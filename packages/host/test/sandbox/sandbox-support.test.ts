import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isNodeCommand,
  probeSandboxSupport,
  probeSandboxSupportSync,
} from '../../src/sandbox/index.js';
import { EXE_PROBE, NODE_PROBE, sandboxFixture } from './sandbox-fixtures.js';

test('the synchronous and asynchronous probes agree, and the synchronous one is cached', async () => {
  const asynchronous = await probeSandboxSupport();
  const synchronous = probeSandboxSupportSync();
  assert.deepEqual(synchronous, asynchronous);
  assert.equal(probeSandboxSupportSync(), synchronous);
});

test('on a platform other than Linux, prlimit and unshare are reported missing with the reason', async () => {
  const support = await probeSandboxSupport({ platform: 'darwin' });
  assert.deepEqual(support.prlimit, {
    available: false,
    reason: 'prlimit needs Linux; this host runs on darwin',
  });
  assert.equal(support.networkIsolation.available, false);
});

test('a Node binary without the permission model is reported missing', async () => {
  // `true` accepts any flag, `false` none: use false as a "Node" that rejects everything.
  const support = await probeSandboxSupport({ nodeCommand: 'false' });
  assert.equal(support.nodePermission.available, false);
  assert.match(
    support.nodePermission.available ? '' : support.nodePermission.reason,
    /neither --permission nor --experimental-permission/,
  );
});

test('isNodeCommand recognises node binaries and #!node scripts only', () => {
  assert.equal(isNodeCommand(process.execPath), true);
  assert.equal(isNodeCommand('node'), true);
  assert.equal(isNodeCommand(sandboxFixture('node-plugin', 'shebang-plugin')), true);
  assert.equal(isNodeCommand(EXE_PROBE), false, 'a #!/bin/bash script');
  assert.equal(isNodeCommand(NODE_PROBE), false, 'no #! line');
  assert.equal(isNodeCommand('/does/not/exist'), false);
});
