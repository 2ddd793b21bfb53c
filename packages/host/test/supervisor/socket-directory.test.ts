import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { makeTempDir } from '@plugboard/test-support';
import { createSocketDirectory } from '../../src/index.js';

const cleanups: (() => void)[] = [];
after(() => cleanups.forEach((cleanup) => cleanup()));

describe('createSocketDirectory', () => {
  test('creates a private 0700 folder whose socket path fits in 100 bytes', async () => {
    const parent = makeTempDir('pbsd-');
    cleanups.push(() => parent.remove());
    const dir = await createSocketDirectory(parent.path);
    assert.ok(dir.dir.startsWith(parent.path));
    assert.equal(statSync(dir.dir).mode & 0o777, 0o700);
    assert.ok(Buffer.byteLength(dir.socketPath) <= 100);
    await dir.remove();
    assert.equal(existsSync(dir.dir), false);
  });

  test('falls back to a folder under /tmp when the preferred parent is too deep', async () => {
    const parent = makeTempDir('pbsd-');
    cleanups.push(() => parent.remove());
    const deep = join(parent.path, 'x'.repeat(60), 'y'.repeat(60));
    mkdirSync(deep, { recursive: true });
    const dir = await createSocketDirectory(deep);
    try {
      assert.ok(!dir.dir.startsWith(deep), 'used the too-deep folder');
      assert.ok(dir.dir.startsWith('/tmp/'));
      assert.ok(Buffer.byteLength(dir.socketPath) <= 100);
    } finally {
      await dir.remove();
    }
  });
});
