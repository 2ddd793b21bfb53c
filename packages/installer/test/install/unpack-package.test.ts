import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isPlugboardError } from '@plugboard/core';
import { makeTempDir } from '@plugboard/test-support';
import { gzipSync } from 'node:zlib';
import { gzipTarArchive, tarArchive, unpackPackage, type TarEntrySpec } from '../../src/index.js';
import { pluginPackage } from '../helpers/plugin-package.js';

const MANIFEST = { path: 'manifest.json', content: '{"name":"evil","version":"1.0.0"}' };

test('a package unpacks byte for byte, with executable bits, links and its top folder stripped', async () => {
  const dir = makeTempDir();
  try {
    const archive = join(dir.path, 'p.tgz');
    writeFileSync(archive, pluginPackage({ name: 'echo', version: '1.2.0', topFolder: true }));
    const unpacked = await unpackPackage(archive, join(dir.path, 'out'));
    assert.equal(unpacked.pluginDir, join(dir.path, 'out', 'echo-1.2.0'));
    assert.equal(unpacked.name, 'echo');
    assert.equal(unpacked.version, '1.2.0');
    const run = join(unpacked.pluginDir, 'bin', 'run');
    assert.equal(statSync(run).mode & 0o777, 0o755);
    assert.equal(statSync(join(unpacked.pluginDir, 'manifest.json')).mode & 0o777, 0o644);
    assert.equal(readlinkSync(join(unpacked.pluginDir, 'readme')), 'data/readme.txt');
    assert.equal(readFileSync(join(unpacked.pluginDir, 'readme'), 'utf8'), 'echo 1.2.0 \n');
  } finally {
    dir.remove();
  }
});

test('setuid and group/world-write bits are dropped; hardlinks become links to the earlier file', async () => {
  const dir = makeTempDir();
  try {
    const archive = join(dir.path, 'p.tgz');
    writeFileSync(
      archive,
      gzipTarArchive([
        MANIFEST,
        { path: 'tool', content: 'x', mode: 0o4777 },
        { path: 'same', type: '1', linkTarget: 'tool' },
      ]),
    );
    const { pluginDir } = await unpackPackage(archive, join(dir.path, 'out'));
    assert.equal(statSync(join(pluginDir, 'tool')).mode & 0o7777, 0o755);
    assert.equal(statSync(join(pluginDir, 'same')).ino, statSync(join(pluginDir, 'tool')).ino);
  } finally {
    dir.remove();
  }
});

/** Hostile packages; each must be refused with nothing written outside the destination. */
function hostileArchives(outside: string): { label: string; archive: Buffer; code?: string }[] {
  const tgz = (entries: TarEntrySpec[]) => gzipTarArchive(entries);
  return [
    {
      label: 'absolute path',
      archive: tgz([MANIFEST, { path: join(outside, 'abs.txt'), content: 'x' }]),
    },
    { label: 'parent escape', archive: tgz([MANIFEST, { path: '../escape.txt', content: 'x' }]) },
    {
      label: 'nested parent escape',
      archive: tgz([MANIFEST, { path: 'a/../../escape.txt', content: 'x' }]),
    },
    { label: 'backslash path', archive: tgz([MANIFEST, { path: '..\\escape.txt', content: 'x' }]) },
    {
      label: 'write through a symlink to an outside folder',
      archive: tgz([
        MANIFEST,
        { path: 'link', type: '2', linkTarget: outside },
        { path: 'link/through.txt', content: 'x' },
      ]),
    },
    {
      label: 'symlink climbing out',
      archive: tgz([MANIFEST, { path: 'up', type: '2', linkTarget: '../../..' }]),
    },
    {
      label: 'absolute symlink',
      archive: tgz([MANIFEST, { path: 'passwd', type: '2', linkTarget: '/etc/passwd' }]),
    },
    {
      label: 'hardlink to an absolute file',
      archive: tgz([MANIFEST, { path: 'h', type: '1', linkTarget: '/etc/passwd' }]),
    },
    {
      label: 'hardlink climbing out',
      archive: tgz([MANIFEST, { path: 'h', type: '1', linkTarget: '../outside' }]),
    },
    { label: 'character device', archive: tgz([MANIFEST, { path: 'null', type: '3' }]) },
    { label: 'block device', archive: tgz([MANIFEST, { path: 'disk', type: '4' }]) },
    { label: 'FIFO', archive: tgz([MANIFEST, { path: 'pipe', type: '6' }]) },
    {
      label: 'duplicate path (overwrite the manifest)',
      archive: tgz([
        MANIFEST,
        { path: 'manifest.json', content: '{"name":"other","version":"9.9.9"}' },
      ]),
    },
    {
      label: 'entry below a file',
      archive: tgz([MANIFEST, { path: 'manifest.json/x', content: 'x' }]),
    },
    {
      label: 'too many entries',
      archive: tgz([
        MANIFEST,
        ...Array.from({ length: 40 }, (_, i) => ({ path: `f${i}`, content: 'x' })),
      ]),
    },
    {
      label: 'gzip bomb (unpacked size over the cap)',
      archive: gzipSync(
        tarArchive([MANIFEST, { path: 'zeros', content: Buffer.alloc(3 * 1024 * 1024) }]),
      ),
    },
    { label: 'not gzip', archive: Buffer.from('this is not a package') },
    {
      label: 'reserved install record name',
      archive: tgz([MANIFEST, { path: '.plugboard-install.json', content: '{}' }]),
    },
    { label: 'no manifest', archive: tgz([{ path: 'bin/run', content: 'x' }]) },
    {
      label: 'entrypoint outside through a symlink',
      archive: tgz([
        {
          path: 'manifest.json',
          content:
            '{"name":"evil","version":"1.0.0","runtime":{"type":"executable","entrypoint":"bin/run"}}',
        },
        { path: 'bin', type: '2', linkTarget: '.' },
      ]),
    },
  ];
}

test('at least 10 hostile packages are all refused, and nothing is written outside the destination', async () => {
  const dir = makeTempDir();
  try {
    const outside = join(dir.path, 'outside');
    writeFileSync(join(dir.path, 'sentinel'), 'untouched');
    const cases = hostileArchives(outside);
    assert.ok(cases.length >= 10);
    for (const [index, { label, archive }] of cases.entries()) {
      const archivePath = join(dir.path, `hostile-${index}.tgz`);
      writeFileSync(archivePath, archive);
      const staging = join(dir.path, `staging-${index}`);
      await assert.rejects(
        unpackPackage(archivePath, staging, {
          maxEntries: 20,
          maxUnpackedBytes: 1024 * 1024,
          maxManifestBytes: 64 * 1024,
          maxMetadataBytes: 64 * 1024,
        }),
        (error: unknown) =>
          isPlugboardError(error) && ['PACKAGE_INVALID', 'MANIFEST_INVALID'].includes(error.code),
        label,
      );
    }
    // Only the archives, the sentinel and the staging folders exist: nothing escaped.
    const names = readdirSync(dir.path).filter(
      (name) => !name.startsWith('hostile-') && !name.startsWith('staging-'),
    );
    assert.deepEqual(names.sort(), ['sentinel']);
    assert.equal(readFileSync(join(dir.path, 'sentinel'), 'utf8'), 'untouched');
    assert.equal(existsSync(outside), false);
    for (const name of readdirSync(dir.path).filter((n) => n.startsWith('staging-'))) {
      for (const entry of walk(join(dir.path, name))) {
        const info = lstatSync(entry);
        assert.ok(!info.isCharacterDevice() && !info.isBlockDevice() && !info.isFIFO(), entry);
        if (info.isSymbolicLink()) {
          assert.ok(!readlinkSync(entry).startsWith('/'), `${entry} is an absolute link`);
        }
      }
    }
  } finally {
    dir.remove();
  }
});

test('a package whose manifest has no version is refused', async () => {
  const dir = makeTempDir();
  try {
    const archive = join(dir.path, `${randomUUID()}.tgz`);
    writeFileSync(
      archive,
      gzipTarArchive([{ path: 'manifest.json', content: '{"name":"noversion"}' }]),
    );
    await assert.rejects(unpackPackage(archive, join(dir.path, 'out')), (error: unknown) =>
      isPlugboardError(error, 'MANIFEST_INVALID'),
    );
  } finally {
    dir.remove();
  }
});

function walk(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    found.push(path);
    if (lstatSync(path).isDirectory()) found.push(...walk(path));
  }
  return found;
}
