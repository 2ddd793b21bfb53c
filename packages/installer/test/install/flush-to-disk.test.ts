import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTempDir } from '@plugboard/test-support';
import { flushToDisk } from '../../src/layout/flush-to-disk.js';

test('flushToDisk: syncfs on Linux, every file and folder fsynced where asked (or where sync -f fails)', async () => {
  const dir = makeTempDir();
  try {
    mkdirSync(join(dir.path, 'a/b'), { recursive: true });
    writeFileSync(join(dir.path, 'a/b/file.js'), 'x');
    writeFileSync(join(dir.path, 'top.txt'), 'y');
    assert.equal(
      await flushToDisk(dir.path),
      process.platform === 'linux' ? 'syncfs' : 'each-file',
    );
    assert.equal(await flushToDisk(dir.path, 'each-file'), 'each-file');
    // sync -f refuses a path that does not exist: the fallback then reports the real problem.
    await assert.rejects(flushToDisk(join(dir.path, 'missing')), { code: 'ENOENT' });
  } finally {
    dir.remove();
  }
});
