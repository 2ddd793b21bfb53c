import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { FsBlobStore } from '@plugboard/store';
import { makeTempDir } from '@plugboard/test-support';
import { codeOf } from '../metadata/contract/store-fixtures.js';

const MIB = 1024 * 1024;

/** `size` pseudo-random bytes in 64 KiB chunks, generated on the fly (never held whole). */
async function* generatedBytes(size: number, seed = 1): AsyncGenerator<Buffer> {
  let state = seed;
  for (let offset = 0; offset < size; offset += 64 * 1024) {
    const chunk = Buffer.alloc(Math.min(64 * 1024, size - offset));
    for (let index = 0; index < chunk.length; index += 1) {
      if (index % 4 === 0) state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
      chunk[index] = (state >>> (8 * (index % 4))) & 0xff;
    }
    yield chunk;
  }
}

async function digestOfStream(
  source: AsyncIterable<Uint8Array>,
): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of source) {
    hash.update(chunk);
    size += chunk.byteLength;
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

async function withBlobStore(
  body: (store: FsBlobStore, root: string) => Promise<void>,
): Promise<void> {
  const dir = makeTempDir('plugboard-blobs-');
  try {
    const root = join(dir.path, 'blobs');
    await body(await FsBlobStore.open(root), root);
  } finally {
    dir.remove();
  }
}

describe('FsBlobStore', () => {
  it('round-trips a multi-megabyte stream, content-addressed under sha256/ab/', async () => {
    await withBlobStore(async (store, root) => {
      const size = 12 * MIB + 3;
      const expected = await digestOfStream(generatedBytes(size));
      const stored = await store.put(Readable.from(generatedBytes(size)));
      assert.deepEqual(stored, expected);

      const hex = expected.digest.slice('sha256:'.length);
      assert.deepEqual(filesUnder(root), [join('sha256', hex.slice(0, 2), hex)]);
      assert.equal(await store.has(expected.digest), true);
      assert.deepEqual(await store.stat(expected.digest), expected);

      const content = await store.get(expected.digest);
      assert.equal(content.size, size);
      assert.deepEqual(await digestOfStream(content.stream), expected);
    });
  });

  it('streams a large put without holding it in memory', async () => {
    await withBlobStore(async (store) => {
      const total = 256 * MIB;
      const baseline = process.memoryUsage().arrayBuffers;
      let peak = baseline;
      async function* freshChunks(): AsyncGenerator<Buffer> {
        for (let offset = 0; offset < total; offset += MIB) {
          peak = Math.max(peak, process.memoryUsage().arrayBuffers);
          yield Buffer.alloc(MIB, offset / MIB);
        }
      }
      const stored = await store.put(freshChunks());
      assert.equal(stored.size, total);
      // Holding the content would need 256 MiB; garbage not yet collected stays far below that.
      assert.ok(
        peak - baseline < 128 * MIB,
        `buffers grew by ${Math.round((peak - baseline) / MIB)} MiB`,
      );
    });
  });

  it('accepts content whose digest matches expectedDigest', async () => {
    await withBlobStore(async (store) => {
      const expected = await digestOfStream(generatedBytes(100_000));
      const stored = await store.put(generatedBytes(100_000), { expectedDigest: expected.digest });
      assert.deepEqual(stored, expected);
    });
  });

  it('refuses a digest mismatch and leaves no blob and no temp file', async () => {
    await withBlobStore(async (store, root) => {
      const other = await digestOfStream(generatedBytes(1000, 2));
      const error = await store.put(generatedBytes(3 * MIB), { expectedDigest: other.digest }).then(
        () => undefined,
        (caught: unknown) => caught as { code: string; details: Record<string, unknown> },
      );
      assert.equal(error?.code, 'DIGEST_MISMATCH');
      assert.equal(error?.details['expected'], other.digest);
      assert.deepEqual(filesUnder(root), []);
      assert.equal(await store.has(other.digest), false);
    });
  });

  it('refuses content over maxBytes, stops reading it and leaves nothing behind', async () => {
    await withBlobStore(async (store, root) => {
      const source = Readable.from(generatedBytes(4 * MIB));
      assert.equal(await codeOf(store.put(source, { maxBytes: MIB })), 'PAYLOAD_TOO_LARGE');
      assert.equal(source.destroyed, true, 'the source stream is destroyed, not drained');
      assert.deepEqual(filesUnder(root), []);

      const exact = await store.put(generatedBytes(MIB), { maxBytes: MIB });
      assert.equal(exact.size, MIB, 'exactly maxBytes is allowed');
    });
  });

  it('stores concurrent puts of the same content once', async () => {
    await withBlobStore(async (store, root) => {
      const size = 2 * MIB;
      const expected = await digestOfStream(generatedBytes(size, 7));
      const results = await Promise.all(
        Array.from({ length: 8 }, () => store.put(Readable.from(generatedBytes(size, 7)))),
      );
      for (const result of results) assert.deepEqual(result, expected);
      const hex = expected.digest.slice('sha256:'.length);
      assert.deepEqual(filesUnder(root), [join('sha256', hex.slice(0, 2), hex)]);
      assert.deepEqual(await digestOfStream((await store.get(expected.digest)).stream), expected);
    });
  });

  it('reports a failing source as ABORTED and cleans up', async () => {
    await withBlobStore(async (store, root) => {
      async function* failing(): AsyncGenerator<Buffer> {
        yield Buffer.alloc(MIB, 1);
        throw new Error('client went away');
      }
      assert.equal(await codeOf(store.put(failing())), 'ABORTED');
      const controller = new AbortController();
      controller.abort();
      assert.equal(
        await codeOf(store.put(generatedBytes(10), { signal: controller.signal })),
        'ABORTED',
      );
      assert.deepEqual(filesUnder(root), []);
    });
  });

  it('answers NOT_FOUND, false and undefined for missing blobs, and deletes', async () => {
    await withBlobStore(async (store) => {
      const missing = `sha256:${'0'.repeat(64)}`;
      assert.equal(await codeOf(store.get(missing)), 'NOT_FOUND');
      assert.equal(await store.has(missing), false);
      assert.equal(await store.stat(missing), undefined);
      assert.equal(await store.delete(missing), false);

      const stored = await store.put(Readable.from([Buffer.from('hello')]));
      assert.equal(await store.delete(stored.digest), true);
      assert.equal(await store.has(stored.digest), false);
    });
  });

  it('refuses malformed digests, so no path can leave the root', async () => {
    await withBlobStore(async (store) => {
      for (const digest of [
        '../../etc/passwd',
        'sha256:../../x',
        `sha256:${'A'.repeat(64)}`,
        'md5:00',
      ]) {
        assert.equal(await codeOf(store.get(digest)), 'INVALID_ARGUMENT', digest);
        assert.equal(await codeOf(store.has(digest)), 'INVALID_ARGUMENT', digest);
        assert.equal(await codeOf(store.delete(digest)), 'INVALID_ARGUMENT', digest);
      }
      assert.equal(
        await codeOf(store.put(generatedBytes(10), { expectedDigest: 'sha256:nope' })),
        'INVALID_ARGUMENT',
      );
    });
  });

  it('removes temp files left by a crash when it opens, but not fresh ones', async () => {
    const dir = makeTempDir('plugboard-blobs-');
    try {
      const root = join(dir.path, 'blobs');
      mkdirSync(join(root, 'tmp'), { recursive: true });
      const stale = join(root, 'tmp', 'old.partial');
      const fresh = join(root, 'tmp', 'new.partial');
      writeFileSync(stale, 'half a blob');
      writeFileSync(fresh, 'a put in progress elsewhere');
      const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
      utimesSync(stale, twoHoursAgo, twoHoursAgo);

      await FsBlobStore.open(root);
      assert.deepEqual(readdirSync(join(root, 'tmp')), ['new.partial']);
      assert.equal(readFileSync(fresh, 'utf8'), 'a put in progress elsewhere');
    } finally {
      dir.remove();
    }
  });
});
