import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { BatchedLogStream, type LogDestination } from '../../src/app/batched-log-stream.js';

/** A destination that records what it is handed and how often it is flushed. */
function recordingDestination(): LogDestination & { writes: string[]; flushes: number } {
  const destination = {
    writes: [] as string[],
    flushes: 0,
    write(text: string) {
      destination.writes.push(text);
    },
    flushSync() {
      destination.flushes += 1;
    },
  };
  return destination;
}

test('lines are handed on joined once a batch is full, in order, and the rest on flushSync', () => {
  const destination = recordingDestination();
  const stream = new BatchedLogStream(destination, { batchChars: 20, flushIntervalMs: 60_000 });
  try {
    stream.write('line one\n');
    stream.write('line two\n');
    assert.deepEqual(destination.writes, [], '18 characters wait');
    stream.write('line three\n');
    assert.deepEqual(destination.writes, ['line one\nline two\nline three\n']);
    stream.write('line four\n');
    stream.flushSync();
    assert.deepEqual(destination.writes.slice(1), ['line four\n']);
    assert.equal(destination.flushes, 1);
  } finally {
    stream.end();
  }
});

test('a quiet stream hands its lines on at the interval', async () => {
  const destination = recordingDestination();
  const stream = new BatchedLogStream(destination, { batchChars: 8192, flushIntervalMs: 20 });
  try {
    stream.write('alone\n');
    for (let waited = 0; destination.writes.length === 0 && waited < 5000; waited += 10) {
      await sleep(10);
    }
    assert.deepEqual(destination.writes, ['alone\n']);
  } finally {
    stream.end();
  }
});
