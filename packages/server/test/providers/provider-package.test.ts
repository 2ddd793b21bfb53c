import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PlugboardError } from '@plugboard/core';
import { DEFAULT_PACKAGE_LIMITS, inspectPackage } from '@plugboard/installer';
import { isGzip, isZip, zipToGzipTar } from '../../src/providers/zip-to-tar.js';
import { zipArchive } from '../helpers/zip-archive.js';

async function inspect(tgz: Buffer) {
  return inspectPackage(
    (async function* () {
      yield tgz;
    })(),
  );
}

function codeOf(work: () => unknown): string {
  try {
    work();
    return 'returned';
  } catch (error) {
    assert.ok(error instanceof PlugboardError, String(error));
    return `${error.code}: ${error.message}`;
  }
}

describe('zip plugin packages', () => {
  it('become a gzip tar the installer inspects like any other', async () => {
    const zip = zipArchive([
      { path: 'plugin/', mode: 0o040755 },
      {
        path: 'plugin/manifest.json',
        content: JSON.stringify({
          name: 'z',
          version: '1.0.0',
          runtime: { type: 'node', entrypoint: 'main.js' },
        }),
      },
      { path: 'plugin/main.js', content: 'console.log(1)\n'.repeat(50), mode: 0o100755 },
      { path: 'plugin/stored.txt', content: 'plain', deflate: false },
    ]);
    assert.ok(isZip(zip));
    const tgz = zipToGzipTar(zip, DEFAULT_PACKAGE_LIMITS);
    assert.ok(isGzip(tgz));
    const inspection = await inspect(tgz);
    assert.equal(inspection.root, 'plugin');
    assert.equal(inspection.entrypoint, 'plugin/main.js');
    const main = inspection.entries.find((e) => e.path === 'plugin/main.js');
    assert.equal(main?.mode, 0o755);
    assert.equal(main?.size, 'console.log(1)\n'.length * 50);
    assert.equal(inspection.entries.find((e) => e.path === 'plugin/stored.txt')?.size, 5);
  });

  it('are refused when hostile or damaged, naming the problem', async () => {
    const escaping = zipToGzipTar(
      zipArchive([
        { path: 'manifest.json', content: '{"name":"z","version":"1.0.0"}' },
        { path: '../evil', content: 'x' },
      ]),
      DEFAULT_PACKAGE_LIMITS,
    );
    await assert.rejects(inspect(escaping), (error: PlugboardError) => {
      assert.equal(error.code, 'PACKAGE_INVALID');
      assert.match(error.message, /\.\./);
      return true;
    });
    const big = zipArchive([{ path: 'a', content: Buffer.alloc(4096) }]);
    assert.match(
      codeOf(() => zipToGzipTar(big, { ...DEFAULT_PACKAGE_LIMITS, maxUnpackedBytes: 1000 })),
      /^PACKAGE_INVALID: zip archive: it unpacks to more than 1000 bytes/,
    );
    const corrupted = zipArchive([{ path: 'a', content: 'hello world', deflate: false }]);
    corrupted.write('HELLO', 30 + 1);
    assert.match(
      codeOf(() => zipToGzipTar(corrupted, DEFAULT_PACKAGE_LIMITS)),
      /^PACKAGE_INVALID: zip archive: entry "a" fails its CRC check/,
    );
    assert.match(
      codeOf(() => zipToGzipTar(Buffer.from('PK\x03\x04 not really'), DEFAULT_PACKAGE_LIMITS)),
      /no end of central directory/,
    );
    const many = zipArchive(Array.from({ length: 5 }, (_, i) => ({ path: `f${i}`, content: 'x' })));
    assert.match(
      codeOf(() => zipToGzipTar(many, { ...DEFAULT_PACKAGE_LIMITS, maxEntries: 4 })),
      /5 entries; at most 4/,
    );
  });
});
