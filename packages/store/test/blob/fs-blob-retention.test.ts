import assert from 'node:assert/strict';
import { existsSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isPlugboardError } from '@plugboard/core';
import { FsBlobStore } from '@plugboard/store';
import { makeTempDir } from '@plugboard/test-support';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const RETAIN_MS = 7 * DAY_MS;

function bytes(text: string): AsyncIterable<Uint8Array> {
  return (async function* () {
    yield Buffer.from(text);
  })();
}

function hexOf(digest: string): string {
  return digest.slice('sha256:'.length);
}

function blobFile(root: string, digest: string): string {
  const hex = hexOf(digest);
  return join(root, 'sha256', hex.slice(0, 2), hex);
}

function markFile(root: string, digest: string): string {
  return join(root, 'retained', hexOf(digest));
}

function setAge(path: string, ageMs: number): void {
  const when = new Date(Date.now() - ageMs);
  utimesSync(path, when, when);
}

const nothingReferenced = async (): Promise<ReadonlySet<string>> => new Set<string>();

describe('FsBlobStore.retain and the sweep', () => {
  it('keeps an old unreferenced blob marked within the retention and deletes one marked before it', async () => {
    const dir = makeTempDir('plugboard-retain-');
    try {
      const blobs = await FsBlobStore.open(dir.path);
      const inUse = await blobs.put(bytes('cached copy served yesterday'));
      const stale = await blobs.put(bytes('cached copy unused for eight days'));
      const plain = await blobs.put(bytes('failed publish, never retained'));
      assert.equal(await blobs.retain(inUse.digest), true);
      assert.equal(await blobs.retain(stale.digest), true);
      for (const blob of [inUse, stale, plain])
        setAge(blobFile(dir.path, blob.digest), 2 * HOUR_MS);
      setAge(markFile(dir.path, inUse.digest), DAY_MS);
      setAge(markFile(dir.path, stale.digest), 8 * DAY_MS);

      const result = await blobs.sweep({
        graceMs: HOUR_MS,
        retainMs: RETAIN_MS,
        referenced: nothingReferenced,
      });
      assert.deepEqual(result, {
        examined: 3,
        deleted: 2,
        freedBytes: stale.size + plain.size,
        keptReferenced: 0,
        keptInGrace: 0,
        keptRetained: 1,
      });
      assert.equal(await blobs.has(inUse.digest), true);
      assert.equal(await blobs.has(stale.digest), false);
      assert.equal(await blobs.has(plain.digest), false);
      assert.equal(existsSync(markFile(dir.path, stale.digest)), false, 'the expired mark goes');
      assert.equal(existsSync(markFile(dir.path, inUse.digest)), true);
    } finally {
      dir.remove();
    }
  });

  it('keeps nothing for its mark when the sweep is given no retention', async () => {
    const dir = makeTempDir('plugboard-retain-');
    try {
      const blobs = await FsBlobStore.open(dir.path);
      const blob = await blobs.put(bytes('marked, but retention is off'));
      await blobs.retain(blob.digest);
      setAge(blobFile(dir.path, blob.digest), 2 * HOUR_MS);
      setAge(markFile(dir.path, blob.digest), 1_000);
      const result = await blobs.sweep({ graceMs: HOUR_MS, referenced: nothingReferenced });
      assert.equal(result.deleted, 1);
      assert.equal(result.keptRetained, 0);
    } finally {
      dir.remove();
    }
  });

  it('puts a blob back when it is marked again while the sweep runs', async () => {
    const dir = makeTempDir('plugboard-retain-');
    try {
      const blobs = await FsBlobStore.open(dir.path);
      const blob = await blobs.put(bytes('served again during the sweep'));
      await blobs.retain(blob.digest);
      setAge(blobFile(dir.path, blob.digest), 2 * HOUR_MS);
      setAge(markFile(dir.path, blob.digest), 8 * DAY_MS);
      let calls = 0;
      const result = await blobs.sweep({
        graceMs: HOUR_MS,
        retainMs: RETAIN_MS,
        referenced: async () => {
          // After the listing saw an expired mark, a request serves the copy and marks it.
          if (++calls === 1) setAge(markFile(dir.path, blob.digest), 0);
          return new Set<string>();
        },
      });
      assert.equal(result.deleted, 0);
      assert.equal(result.keptRetained, 1);
      assert.equal(await blobs.has(blob.digest), true);
    } finally {
      dir.remove();
    }
  });

  it('refuses to mark a missing or malformed digest and drops expired marks of missing blobs', async () => {
    const dir = makeTempDir('plugboard-retain-');
    try {
      const blobs = await FsBlobStore.open(dir.path);
      const blob = await blobs.put(bytes('deleted by hand'));
      await blobs.retain(blob.digest);
      assert.equal(await blobs.delete(blob.digest), true);
      assert.equal(existsSync(markFile(dir.path, blob.digest)), false, 'delete drops the mark');
      assert.equal(await blobs.retain(blob.digest), false);
      assert.equal(existsSync(markFile(dir.path, blob.digest)), false);
      await assert.rejects(blobs.retain('sha256:nothex'), (error: unknown) =>
        isPlugboardError(error, 'INVALID_ARGUMENT'),
      );

      // A mark left without its blob (the blob went between `retain`'s check and its write).
      const orphan = await blobs.put(bytes('orphaned mark'));
      await blobs.retain(orphan.digest);
      rmSync(blobFile(dir.path, orphan.digest));
      setAge(markFile(dir.path, orphan.digest), 8 * DAY_MS);
      await blobs.sweep({ graceMs: HOUR_MS, retainMs: RETAIN_MS, referenced: nothingReferenced });
      assert.equal(existsSync(markFile(dir.path, orphan.digest)), false);
    } finally {
      dir.remove();
    }
  });
});
