import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyExit, explainExit, type SandboxApplied } from '../../src/sandbox/index.js';

const base: SandboxApplied = {
  runtime: 'executable',
  node: false,
  kernel: {},
  network: 'isolated',
  envNames: ['PATH'],
  cwd: '/p',
};
const nodeWithHeap: SandboxApplied = {
  ...base,
  runtime: 'node',
  node: true,
  memoryMb: 64,
  heapMb: 64,
  kernel: { addressSpaceMb: 64 + 4096 },
};
const exeWithLimits: SandboxApplied = {
  ...base,
  memoryMb: 64,
  kernel: { addressSpaceMb: 64, cpuSoftSeconds: 2, cpuHardSeconds: 7 },
};

test('a Node heap abort is the memory limit', () => {
  assert.deepEqual(classifyExit(null, 'SIGABRT', nodeWithHeap), {
    kind: 'memory-limit',
    message: 'killed: exceeded memory limit of 64 MiB (V8 heap, SIGABRT)',
  });
});

test('a native crash under RLIMIT_AS is likely the memory limit', () => {
  const explanation = classifyExit(null, 'SIGSEGV', exeWithLimits);
  assert.equal(explanation.kind, 'memory-limit');
  assert.match(explanation.message, /likely exceeded memory limit of 64 MiB/);
});

test('SIGXCPU and SIGKILL under a CPU limit are the CPU limit', () => {
  assert.equal(
    explainExit(null, 'SIGXCPU', exeWithLimits),
    'killed: exceeded CPU-time limit of 2 s (SIGXCPU)',
  );
  assert.equal(classifyExit(null, 'SIGKILL', exeWithLimits).kind, 'cpu-limit');
});

test("the host's own stop is not blamed on a limit", () => {
  assert.deepEqual(classifyExit(null, 'SIGKILL', exeWithLimits, { stopRequested: true }), {
    kind: 'stopped',
    message: 'stopped by the host (SIGKILL)',
  });
});

test('without limits, signals and codes are reported as they are', () => {
  assert.deepEqual(classifyExit(null, 'SIGABRT', base), {
    kind: 'signal',
    message: 'killed by SIGABRT',
  });
  assert.equal(explainExit(null, 'SIGXCPU', undefined), 'killed by SIGXCPU');
  assert.equal(explainExit(0, null, base), 'exited normally (code 0)');
  assert.equal(explainExit(3, null, base), 'exited with code 3');
});

test('a non-zero exit under an address-space limit mentions the limit as a possible cause', () => {
  assert.match(explainExit(1, null, exeWithLimits), /^exited with code 1 \(.*64 MiB memory limit/);
  assert.equal(explainExit(1, null, nodeWithHeap), 'exited with code 1');
});
