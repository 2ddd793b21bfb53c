import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { isPlugboardError } from '@plugboard/core';
import { commandWorks, makeTempDir, skipUnlessAvailable } from '@plugboard/test-support';
import { gzipTarArchive, inspectPackage, tarArchive, type TarEntrySpec } from '../../src/index.js';

const MANIFEST = JSON.stringify({
  name: 'echo-plugin',
  version: '1.2.0',
  runtime: { type: 'executable', entrypoint: 'bin/run' },
});

/** Yields `data` in chunks of the given sizes (cycling), like a network body. */
async function* chunked(data: Uint8Array, sizes: readonly number[] = [65_536]) {
  let offset = 0;
  for (let index = 0; offset < data.length; index += 1) {
    const size = sizes[index % sizes.length] ?? 1;
    yield data.subarray(offset, offset + size);
    offset += size;
  }
}

function packageInvalid(entry?: string, message?: RegExp) {
  return (error: unknown) => {
    assert.ok(isPlugboardError(error), String(error));
    assert.equal(error.code, 'PACKAGE_INVALID', error.message);
    if (entry !== undefined) {
      assert.equal(error.details?.['entry'], entry, error.message);
      // Messages quote paths as JSON strings, so control characters cannot forge log lines.
      assert.ok(
        error.message.includes(JSON.stringify(entry)),
        `message names ${entry}: ${error.message}`,
      );
    }
    if (message !== undefined) assert.match(error.message, message);
    return true;
  };
}

const basic: TarEntrySpec[] = [
  { path: 'manifest.json', content: MANIFEST },
  { path: 'bin/', type: '5' },
  { path: 'bin/run', content: '#!/bin/sh\necho hi\n', mode: 0o755 },
];

test('a package with the manifest at its root: manifest, entrypoint and entries', async () => {
  const inspection = await inspectPackage(chunked(gzipTarArchive(basic)));
  assert.equal(inspection.root, '');
  assert.equal(inspection.manifestPath, 'manifest.json');
  assert.equal(inspection.manifest.manifest.version, '1.2.0');
  assert.equal(inspection.manifest.format, 'native');
  assert.equal(inspection.entrypoint, 'bin/run');
  assert.deepEqual(
    inspection.entries.map((e) => [e.path, e.type, e.size, e.mode]),
    [
      ['manifest.json', 'file', MANIFEST.length, 0o644],
      ['bin', 'directory', 0, 0o755],
      ['bin/run', 'file', 18, 0o755],
    ],
  );
  assert.equal(inspection.unpackedBytes, MANIFEST.length + 18);
});

test('a package in a single top folder, YAML manifest in another format, any chunking', async () => {
  const yaml = [
    'name: disk-collector',
    'version: 0.3.0-beta.1',
    'runtime:',
    '  type: executable',
    '  entrypoint: ./run.sh',
    '',
  ].join('\n');
  const archive = gzipTarArchive([
    { path: 'disk-collector/', type: '5' },
    { path: 'disk-collector/manifest.yml', content: yaml },
    { path: 'disk-collector/run.sh', content: 'echo', mode: 0o755 },
    { path: 'disk-collector/docs/manifest.json', content: '{"not":"the manifest"}' },
  ]);
  for (const sizes of [[1], [7, 512, 3], [100_000]]) {
    const inspection = await inspectPackage(chunked(archive, sizes));
    assert.equal(inspection.root, 'disk-collector');
    assert.equal(inspection.manifestPath, 'disk-collector/manifest.yml');
    assert.equal(inspection.manifest.manifest.version, '0.3.0-beta.1');
    assert.equal(inspection.entrypoint, 'disk-collector/run.sh');
  }
});

test('long paths through PAX records and an entrypoint reached through an inner symlink', async () => {
  const deep = `${'d'.repeat(60)}/${'e'.repeat(60)}/run`;
  const manifest = JSON.stringify({
    name: 'deep',
    version: '1.0.0',
    runtime: { type: 'executable', entrypoint: 'start' },
  });
  const inspection = await inspectPackage(
    chunked(
      gzipTarArchive([
        { path: 'manifest.json', content: manifest },
        { path: deep, content: 'x' },
        { path: 'start', type: '2', linkTarget: deep },
      ]),
    ),
  );
  assert.deepEqual(
    inspection.entries.map((e) => e.path),
    ['manifest.json', deep, 'start'],
  );
  assert.equal(inspection.entries[2]?.target, deep);
  assert.equal(inspection.entrypoint, 'start');
});

const hostile: { name: string; entries: TarEntrySpec[]; entry: string; message: RegExp }[] = [
  { name: '../x', entries: [{ path: '../x', content: 'x' }], entry: '../x', message: /"\.\."/ },
  {
    name: 'a/../../x',
    entries: [{ path: 'a/../../x', content: 'x' }],
    entry: 'a/../../x',
    message: /"\.\."/,
  },
  {
    name: '/etc/x',
    entries: [{ path: '/etc/x', content: 'x' }],
    entry: '/etc/x',
    message: /absolute/,
  },
  { name: 'C:/x', entries: [{ path: 'C:/x', content: 'x' }], entry: 'C:/x', message: /absolute/ },
  {
    name: 'backslash',
    entries: [{ path: 'a\\..\\x', content: 'x' }],
    entry: 'a\\..\\x',
    message: /backslash/,
  },
  {
    name: 'symlink to /etc/passwd',
    entries: [{ path: 'passwd', type: '2', linkTarget: '/etc/passwd' }],
    entry: 'passwd',
    message: /outside the package/,
  },
  {
    name: 'symlink climbing out',
    entries: [{ path: 'a/b/link', type: '2', linkTarget: '../../../etc/passwd' }],
    entry: 'a/b/link',
    message: /outside the package/,
  },
  {
    name: 'hardlink to /etc/passwd',
    entries: [{ path: 'passwd', type: '1', linkTarget: '/etc/passwd' }],
    entry: 'passwd',
    message: /earlier file/,
  },
  {
    name: 'hardlink to a file that comes later',
    entries: [
      { path: 'early', type: '1', linkTarget: 'late' },
      { path: 'late', content: 'x' },
    ],
    entry: 'early',
    message: /earlier file/,
  },
  {
    name: 'an entry below a symlink (write through it)',
    entries: [
      { path: 'sub/', type: '5' },
      { path: 'up', type: '2', linkTarget: 'sub' },
      { path: 'up/evil', content: 'x' },
    ],
    entry: 'up/evil',
    message: /below "up", which is a symlink/,
  },
  {
    name: 'character device',
    entries: [{ path: 'dev/null', type: '3' }],
    entry: 'dev/null',
    message: /character device/,
  },
  {
    name: 'block device',
    entries: [{ path: 'sda', type: '4' }],
    entry: 'sda',
    message: /block device/,
  },
  { name: 'FIFO', entries: [{ path: 'pipe', type: '6' }], entry: 'pipe', message: /FIFO/ },
  {
    name: 'unknown entry type',
    entries: [{ path: 'volume', type: 'V' }],
    entry: 'volume',
    message: /unsupported tar type "V"/,
  },
  {
    name: 'duplicate file (a later one would overwrite what was checked)',
    entries: [
      { path: 'run', content: 'a' },
      { path: './run', content: 'b' },
    ],
    entry: './run',
    message: /twice/,
  },
  {
    name: 'a symlink replaced by a file',
    entries: [
      { path: 'x', type: '2', linkTarget: 'y' },
      { path: 'x', content: 'b' },
    ],
    entry: 'x',
    message: /twice/,
  },
];

for (const { name, entries, entry, message } of hostile) {
  test(`refuses ${name}, naming the entry`, async () => {
    const archive = gzipTarArchive([{ path: 'manifest.json', content: MANIFEST }, ...entries]);
    await assert.rejects(inspectPackage(chunked(archive)), packageInvalid(entry, message));
  });
}

test('refuses more entries than allowed, naming the first one over', async () => {
  const entries: TarEntrySpec[] = [{ path: 'manifest.json', content: MANIFEST }];
  for (let index = 0; index < 10; index += 1) entries.push({ path: `f${index}`, content: 'x' });
  await assert.rejects(
    inspectPackage(chunked(gzipTarArchive(entries)), { limits: { maxEntries: 5 } }),
    packageInvalid('f4', /more than 5 entries/),
  );
});

test('refuses a gzip bomb at the header, before decompressing the body', async () => {
  const big = Buffer.alloc(64 * 1024 * 1024);
  const archive = gzipTarArchive([
    { path: 'manifest.json', content: MANIFEST },
    { path: 'zeros', content: big },
  ]);
  assert.ok(archive.length < 1024 * 1024, 'compresses well');
  let consumed = 0;
  async function* counting() {
    for await (const chunk of chunked(archive, [4096])) {
      consumed += chunk.length;
      yield chunk;
    }
  }
  await assert.rejects(
    inspectPackage(counting(), { limits: { maxUnpackedBytes: 1024 * 1024 } }),
    packageInvalid('zeros', /more than 1048576 bytes/),
  );
  assert.ok(consumed < archive.length / 2, `read ${consumed} of ${archive.length} bytes`);
});

test('refuses a symlink entry that claims a huge size', async () => {
  // Link entries carry no body, but a size field still makes the reader skip (decompress) bytes.
  const raw = tarArchive([
    { path: 'manifest.json', content: MANIFEST },
    { path: 'link', type: '2', linkTarget: 'manifest.json' },
  ]);
  const headerOffset = 512 * 2;
  raw.write('77777777777\0', headerOffset + 124, 'latin1');
  fixChecksum(raw, headerOffset);
  await assert.rejects(
    inspectPackage(chunked(gzipSync(raw)), { limits: { maxUnpackedBytes: 1024 * 1024 } }),
    packageInvalid('link', /more than 1048576 bytes/),
  );
});

test('refuses data that is not gzip, a corrupt header and a truncated archive', async () => {
  await assert.rejects(
    inspectPackage(chunked(Buffer.from('PK\x03\x04 this is a zip'))),
    packageInvalid(undefined, /not valid gzip/),
  );
  await assert.rejects(
    inspectPackage(chunked(gzipSync(Buffer.from('plain text, not a tar archive'.repeat(40))))),
    packageInvalid(undefined, /checksum|ends inside a header/),
  );
  const raw = tarArchive([
    { path: 'manifest.json', content: MANIFEST },
    { path: 'big', content: Buffer.alloc(5000, 1) },
  ]);
  await assert.rejects(
    inspectPackage(chunked(gzipSync(raw.subarray(0, 2048)))),
    packageInvalid(undefined, /ends inside the entry/),
  );
});

test('refuses packages whose manifest is missing, doubled, hidden or not a file', async () => {
  const cases: { entries: TarEntrySpec[]; message: RegExp }[] = [
    {
      entries: [{ path: 'run', content: 'x' }],
      message: /no manifest\.json, manifest\.yml, manifest\.yaml/,
    },
    {
      entries: [
        { path: 'manifest.json', content: MANIFEST },
        { path: 'manifest.yml', content: 'name: x\nversion: 1.0.0\n' },
      ],
      message: /several manifests: manifest\.json, manifest\.yml/,
    },
    {
      entries: [{ path: 'a/b/manifest.json', content: MANIFEST }],
      message: /no manifest/,
    },
    {
      entries: [
        { path: 'a/manifest.json', content: MANIFEST },
        { path: 'b/other', content: 'x' },
      ],
      message: /no manifest/,
    },
    {
      entries: [
        { path: 'real.json', content: MANIFEST },
        { path: 'manifest.json', type: '2', linkTarget: 'real.json' },
      ],
      message: /must be a regular file, not a symlink/,
    },
  ];
  for (const { entries, message } of cases) {
    await assert.rejects(
      inspectPackage(chunked(gzipTarArchive(entries))),
      packageInvalid(undefined, message),
    );
  }
  await assert.rejects(
    inspectPackage(
      chunked(gzipTarArchive([{ path: 'manifest.json', content: 'x'.repeat(2000) }])),
      {
        limits: { maxManifestBytes: 1000 },
      },
    ),
    packageInvalid('manifest.json', /at most 1000/),
  );
});

test('refuses an entrypoint that is missing, outside, or a directory', async () => {
  const withEntrypoint = (entrypoint: string, extra: TarEntrySpec[] = []) =>
    gzipTarArchive([
      {
        path: 'manifest.json',
        content: JSON.stringify({
          name: 'p',
          version: '1.0.0',
          runtime: { type: 'executable', entrypoint },
        }),
      },
      ...extra,
    ]);
  await assert.rejects(
    inspectPackage(chunked(withEntrypoint('bin/run'))),
    packageInvalid(undefined, /"bin\/run" is not in the package/),
  );
  await assert.rejects(
    inspectPackage(chunked(withEntrypoint('../run'))),
    packageInvalid(undefined, /relative path inside/),
  );
  await assert.rejects(
    inspectPackage(chunked(withEntrypoint('bin', [{ path: 'bin/', type: '5' }]))),
    packageInvalid(undefined, /is not a file/),
  );
});

test('manifest errors keep core codes and name the manifest file', async () => {
  await assert.rejects(
    inspectPackage(chunked(gzipTarArchive([{ path: 'pkg/manifest.json', content: '{"name": ' }]))),
    (error: unknown) =>
      isPlugboardError(error) &&
      error.code === 'PARSE_ERROR' &&
      error.message.includes('pkg/manifest.json'),
  );
});

const tarSkip = skipUnlessAvailable('tar', commandWorks('tar'), 'apt-get install -y tar');

test(
  'packages made by the system tar (GNU and PAX formats, long names, inner symlinks) pass',
  { skip: tarSkip },
  async () => {
    const dir = makeTempDir();
    try {
      const root = join(dir.path, 'my-plugin');
      const deep = join(root, 'lib', 'x'.repeat(80), 'y'.repeat(80));
      mkdirSync(deep, { recursive: true });
      writeFileSync(join(root, 'manifest.json'), MANIFEST);
      mkdirSync(join(root, 'bin'));
      writeFileSync(join(deep, 'impl.sh'), 'echo deep\n');
      symlinkSync(
        join('..', 'lib', 'x'.repeat(80), 'y'.repeat(80), 'impl.sh'),
        join(root, 'bin', 'run'),
      );
      for (const format of ['gnu', 'pax']) {
        const archive = join(dir.path, `${format}.tgz`);
        const result = spawnSync('tar', [
          `--format=${format}`,
          '-czf',
          archive,
          '-C',
          dir.path,
          'my-plugin',
        ]);
        assert.equal(result.status, 0, result.stderr.toString());
        const inspection = await inspectPackage(chunked(readFileSync(archive), [1000]));
        assert.equal(inspection.root, 'my-plugin', format);
        assert.equal(inspection.entrypoint, 'my-plugin/bin/run', format);
        const impl = inspection.entries.find((e) => e.path.endsWith('/impl.sh'));
        assert.equal(
          impl?.path,
          `my-plugin/lib/${'x'.repeat(80)}/${'y'.repeat(80)}/impl.sh`,
          format,
        );
        assert.equal(impl?.size, 10, format);
      }
    } finally {
      dir.remove();
    }
  },
);

function fixChecksum(archive: Buffer, offset: number): void {
  archive.fill(0x20, offset + 148, offset + 156);
  let sum = 0;
  for (let index = offset; index < offset + 512; index += 1) sum += archive[index] ?? 0;
  archive.write(`${sum.toString(8).padStart(6, '0')}\0 `, offset + 148, 'latin1');
}
