import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LineRingBuffer, parseLogLine, StderrLogForwarder } from '../../src/index.js';
import { recordingLogger } from '../helpers/fixtures.js';

describe('LineRingBuffer', () => {
  test('keeps only the last `capacity` lines, oldest first', () => {
    const ring = new LineRingBuffer(3);
    for (const line of ['a', 'b', 'c', 'd', 'e']) ring.push(line);
    assert.equal(ring.size, 3);
    assert.deepEqual(ring.lines(), ['c', 'd', 'e']);
    assert.equal(ring.tail(2), 'd\ne');
  });

  test('says so when empty, and rejects a zero capacity', () => {
    assert.equal(new LineRingBuffer(2).tail(), '(no stderr output)');
    assert.throws(() => new LineRingBuffer(0), RangeError);
  });
});

describe('parseLogLine', () => {
  test('reads named and pino numeric levels from JSON lines', () => {
    assert.deepEqual(parseLogLine('{"level":"warn","msg":"disk low","free":3}'), {
      level: 'warn',
      message: 'disk low',
      fields: { free: 3 },
    });
    assert.equal(parseLogLine('{"level":50,"msg":"boom"}').level, 'error');
    assert.equal(parseLogLine('{"level":20,"msg":"x"}').level, 'debug');
    assert.equal(parseLogLine('{"level":"fatal","message":"x"}').level, 'error');
  });

  test('plain text and JSON that is not an object are info', () => {
    assert.deepEqual(parseLogLine('starting up'), {
      level: 'info',
      message: 'starting up',
      fields: {},
    });
    assert.equal(parseLogLine('{not json').level, 'info');
    assert.equal(parseLogLine('[1,2]').message, '[1,2]');
  });
});

describe('StderrLogForwarder', () => {
  test('forwards each line with the plugin name and parsed level, across chunk boundaries', () => {
    const logger = recordingLogger();
    const tail = new LineRingBuffer(10);
    const forwarder = new StderrLogForwarder({ plugin: 'demo', logger, tail, fields: { pid: 42 } });
    forwarder.write('{"level":"error","msg":"bad th');
    forwarder.write('ing","code":7}\nplain te');
    forwarder.write(Buffer.from('xt\r\n\n  \nlast line without newline'));
    forwarder.end();
    assert.deepEqual(
      logger.records.map((r) => [r.level, r.message, r.fields['plugin'], r.fields['pid']]),
      [
        ['error', 'bad thing', 'demo', 42],
        ['info', 'plain text', 'demo', 42],
        ['info', 'last line without newline', 'demo', 42],
      ],
    );
    assert.equal(logger.records[0]?.fields['code'], 7);
    assert.equal(tail.size, 3);
  });

  test('a plugin cannot spoof the plugin field', () => {
    const logger = recordingLogger();
    const forwarder = new StderrLogForwarder({
      plugin: 'real',
      logger,
      tail: new LineRingBuffer(2),
    });
    forwarder.write('{"level":"info","msg":"hi","plugin":"someone-else"}\n');
    assert.equal(logger.records[0]?.fields['plugin'], 'real');
  });

  test('cuts long lines and holds at most one line in memory, even without newlines', () => {
    const logger = recordingLogger();
    const tail = new LineRingBuffer(5);
    const forwarder = new StderrLogForwarder({ plugin: 'flood', logger, tail, maxLineLength: 100 });
    const chunk = 'z'.repeat(64 * 1024);
    for (let i = 0; i < 160; i += 1) {
      forwarder.write(chunk); // 10 MiB with no newline at all
      assert.ok(forwarder.pendingLength <= 100 + 20, `pending ${forwarder.pendingLength}`);
    }
    forwarder.write('\nnext\n');
    assert.equal(logger.records.length, 2);
    const cut = logger.records[0]?.message ?? '';
    assert.ok(cut.startsWith('z'.repeat(100)));
    assert.ok(cut.length < 130, `forwarded ${cut.length} characters`);
    assert.match(cut, /truncated/);
    assert.equal(logger.records[1]?.message, 'next');
  });

  test('many lines leave the ring buffer at its capacity', () => {
    const tail = new LineRingBuffer(7);
    const forwarder = new StderrLogForwarder({ plugin: 'p', logger: recordingLogger(), tail });
    for (let i = 0; i < 10_000; i += 1) forwarder.write(`line ${i}\n`);
    assert.equal(tail.size, 7);
    assert.equal(tail.lines().at(-1), 'line 9999');
    assert.equal(forwarder.linesSeen, 10_000);
  });
});
