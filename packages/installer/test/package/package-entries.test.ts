import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { isPlugboardError } from '@plugboard/core';
import {
  gzipTarArchive,
  normalizeEntryPath,
  readPackageEntries,
  resolveSymlinkTarget,
} from '../../src/index.js';

async function* chunked(data: Uint8Array, size: number) {
  for (let offset = 0; offset < data.length; offset += size)
    yield data.subarray(offset, offset + size);
}

test('bodies stream out byte-exact, and unread bodies are skipped', async () => {
  const big = randomBytes(3 * 1024 * 1024 + 17);
  const small = randomBytes(700);
  const archive = gzipTarArchive([
    { path: 'skipped.bin', content: randomBytes(100_000) },
    { path: 'big.bin', content: big },
    { path: 'small.bin', content: small },
  ]);
  const bodies = new Map<string, Buffer>();
  let largestChunk = 0;
  for await (const entry of readPackageEntries(chunked(archive, 8191))) {
    if (entry.path === 'skipped.bin') continue;
    const parts: Buffer[] = [];
    for await (const chunk of entry.body) {
      largestChunk = Math.max(largestChunk, chunk.length);
      parts.push(chunk);
    }
    bodies.set(entry.path, Buffer.concat(parts));
  }
  assert.ok(bodies.get('big.bin')?.equals(big));
  assert.ok(bodies.get('small.bin')?.equals(small));
  // The body arrived in pieces, not as one buffer of the whole file.
  assert.ok(largestChunk <= 64 * 1024, `largest chunk ${largestChunk}`);
});

test('a failing source fails the read with its own error', async () => {
  const archive = gzipTarArchive([{ path: 'a', content: randomBytes(200_000) }]);
  async function* failing() {
    yield archive.subarray(0, 1000);
    throw new Error('connection reset');
  }
  await assert.rejects(
    (async () => {
      for await (const entry of readPackageEntries(failing())) {
        for await (const _ of entry.body);
      }
    })(),
    (error: unknown) => !isPlugboardError(error) && (error as Error).message === 'connection reset',
  );
});

test('normalizeEntryPath and resolveSymlinkTarget', () => {
  assert.deepEqual(normalizeEntryPath('./a//b/./c/'), { path: 'a/b/c' });
  assert.deepEqual(normalizeEntryPath('./'), { path: '' });
  assert.ok('problem' in normalizeEntryPath('a/..'));
  assert.ok('problem' in normalizeEntryPath('a\0b'));
  assert.deepEqual(resolveSymlinkTarget('a/b/link', '../c'), { path: 'a/c' });
  assert.deepEqual(resolveSymlinkTarget('a/link', '..'), { path: '' });
  assert.ok('problem' in resolveSymlinkTarget('a/link', '../..'));
  assert.ok('problem' in resolveSymlinkTarget('link', '/etc/passwd'));
  assert.ok('problem' in resolveSymlinkTarget('link', ''));
});
