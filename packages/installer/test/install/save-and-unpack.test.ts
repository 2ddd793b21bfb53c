import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isPlugboardError } from '@plugboard/core';
import { makeTempDir } from '@plugboard/test-support';
import {
  DEFAULT_PACKAGE_LIMITS,
  gzipTarArchive,
  sha256Digest,
  treeDigest,
} from '../../src/index.js';
import { ChunkChannel } from '../../src/unpack/chunk-channel.js';
import { inBlocks } from '../../src/unpack/in-blocks.js';
import { PendingWrites } from '../../src/unpack/pending-writes.js';
import { saveAndUnpack } from '../../src/unpack/save-and-unpack.js';

async function* chunks(bytes: Buffer, size: number) {
  for (let offset = 0; offset < bytes.length; offset += size)
    yield bytes.subarray(offset, offset + size);
}

const options = { subject: 'test', maxBytes: 64 * 1024 * 1024 };

test('saves the exact bytes and unpacks them in one pass; the tree digest matches a walk of the folder', async () => {
  const dir = makeTempDir();
  try {
    // Names chosen so archive order, segment order and plain string order all differ.
    const archive = gzipTarArchive([
      { path: 'manifest.json', content: '{"name":"order","version":"1.0.0"}' },
      { path: 'a-c', content: 'x' },
      { path: 'a/b', content: 'y', mode: 0o755 },
      { path: 'a/z/deep.txt', content: Buffer.alloc(3 * 1024 * 1024, 5) },
      { path: 'link', type: '2', linkTarget: 'a/b' },
      { path: 'hard', type: '1', linkTarget: 'a-c' },
    ]);
    const result = await saveAndUnpack(
      chunks(archive, 10_000),
      join(dir.path, 'p.tgz'),
      join(dir.path, 'out'),
      DEFAULT_PACKAGE_LIMITS,
      options,
    );
    assert.equal(result.saved.digest, sha256Digest(archive));
    assert.ok(readFileSync(join(dir.path, 'p.tgz')).equals(archive));
    assert.ok(result.unpacked !== undefined);
    assert.equal(result.unpacked.treeDigest, await treeDigest(result.unpacked.pluginDir));
  } finally {
    dir.remove();
  }
});

test('a refused package still yields the digest of everything downloaded, so a mismatch can be reported first', async () => {
  const dir = makeTempDir();
  try {
    const archive = Buffer.concat([
      gzipTarArchive([{ path: '../escape', content: 'x' }]),
      Buffer.alloc(20 * 1024 * 1024, 1),
    ]);
    const result = await saveAndUnpack(
      chunks(archive, 65_536),
      join(dir.path, 'p.tgz'),
      join(dir.path, 'out'),
      DEFAULT_PACKAGE_LIMITS,
      options,
    );
    assert.equal(result.unpacked, undefined);
    assert.ok(isPlugboardError(result.unpackError, 'PACKAGE_INVALID'));
    assert.equal(result.saved.digest, sha256Digest(archive));
    assert.equal(result.saved.size, archive.length);
    assert.equal(existsSync(join(dir.path, 'escape')), false);
  } finally {
    dir.remove();
  }
});

test('a download that fails midway fails the whole step', async () => {
  const dir = makeTempDir();
  try {
    async function* broken() {
      yield gzipTarArchive([
        { path: 'manifest.json', content: '{"name":"x","version":"1.0.0"}' },
      ]).subarray(0, 50);
      throw new Error('connection reset');
    }
    await assert.rejects(
      saveAndUnpack(
        broken(),
        join(dir.path, 'p.tgz'),
        join(dir.path, 'out'),
        DEFAULT_PACKAGE_LIMITS,
        options,
      ),
      /connection reset/,
    );
  } finally {
    dir.remove();
  }
});

test('ChunkChannel holds the writer back while the reader is behind, and releases it when the reader stops', async () => {
  const channel = new ChunkChannel(10);
  let pushed = 0;
  const writer = (async () => {
    for (let i = 0; i < 5; i += 1) {
      await channel.push(Buffer.alloc(6));
      pushed += 1;
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(pushed, 1, 'the second push waits: 12 bytes are more than 10');
  const iterator = channel[Symbol.asyncIterator]();
  await iterator.next();
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(pushed >= 2);
  channel.stop(new Error('reader gave up'));
  await assert.rejects(writer, /reader gave up/);
});

test('without an archive path the package is only hashed (no cache keeps it): the same digest, no file', async () => {
  const dir = makeTempDir();
  try {
    const files = Array.from({ length: 50 }, (_, index) => ({
      path: `lib/m-${index}.js`,
      content: `export const n = ${index};\n`,
    }));
    const archive = gzipTarArchive([
      { path: 'manifest.json', content: '{"name":"hashed","version":"1.0.0"}' },
      ...files,
    ]);
    const result = await saveAndUnpack(
      chunks(archive, 4096),
      undefined,
      join(dir.path, 'out'),
      DEFAULT_PACKAGE_LIMITS,
      options,
    );
    assert.equal(result.saved.digest, sha256Digest(archive));
    assert.equal(result.saved.size, archive.length);
    assert.deepEqual(readdirSync(dir.path), ['out']);
    assert.ok(result.unpacked !== undefined);
    // Every small file written in the background is complete once unpacking returns.
    for (const file of files) {
      assert.equal(readFileSync(join(result.unpacked.pluginDir, file.path), 'utf8'), file.content);
    }
    assert.equal(result.unpacked.treeDigest, await treeDigest(result.unpacked.pluginDir));
  } finally {
    dir.remove();
  }
});

test('PendingWrites keeps at most its limit in flight and reports the first failure', async () => {
  const writes = new PendingWrites(2);
  let running = 0;
  let most = 0;
  const slow = () => async () => {
    running += 1;
    most = Math.max(most, running);
    await new Promise((resolve) => setTimeout(resolve, 5));
    running -= 1;
  };
  for (let i = 0; i < 6; i += 1) await writes.add(slow());
  await writes.drain();
  assert.equal(most, 2);
  assert.equal(running, 0);

  await writes.add(
    () =>
      new Promise<void>((_resolve, reject) => setTimeout(() => reject(new Error('disk full')), 5)),
  );
  await writes.add(slow());
  await assert.rejects(writes.drain(), /disk full/);
  assert.equal(running, 0, 'drain waited for the other write too');
  await assert.rejects(writes.add(slow()), /disk full/);
});

test('inBlocks joins small chunks into blocks of at least the block size and passes large ones through', async () => {
  async function* pieces() {
    yield Buffer.from('ab');
    yield new Uint8Array(0);
    yield Buffer.from('cde');
    yield Buffer.from('fghijk');
    yield Buffer.from('l');
  }
  const blocks: string[] = [];
  for await (const block of inBlocks(pieces(), 4)) blocks.push(block.toString('latin1'));
  assert.deepEqual(blocks, ['abcde', 'fghijk', 'l']);
  const large = Buffer.alloc(10, 1);
  const passed: Buffer[] = [];
  for await (const block of inBlocks(chunks(large, 10), 4)) passed.push(block);
  assert.equal(passed[0]?.buffer, large.buffer, 'a chunk already large enough is not copied');
});
