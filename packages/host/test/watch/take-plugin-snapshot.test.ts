import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeTempDir } from '@plugboard/test-support';
import { scanPluginRoots, takePluginSnapshot } from '../../src/watch/index.js';
import { writeExecutablePlugin, writeManifestPlugin } from './watch-fixtures.js';

const temp = makeTempDir('plugboard-snapshot-');
after(() => temp.remove());

test('finds manifest folders and bare executables by discovery rules, relative to the root', async () => {
  const root = join(temp.path, 'rules');
  const pluginDir = writeManifestPlugin(root, 'aws', '1.0.0');
  writeExecutablePlugin(join(pluginDir, 'bin'), 'helper'); // inside a plugin: not a plugin
  writeExecutablePlugin(join(root, 'ocm'), 'ocm-plugin');
  writeExecutablePlugin(join(root, 'node_modules', 'x'), 'skipped');
  writeFileSync(join(root, 'ocm', 'notes.txt'), 'not executable, has an extension');
  writeFileSync(join(root, 'ocm', 'plain'), 'not executable');
  chmodSync(join(root, 'ocm', 'plain'), 0o644);

  const snapshot = await takePluginSnapshot([root]);
  assert.deepEqual(
    snapshot.map(({ root: r, path, kind }) => ({ r, path, kind })),
    [
      { r: root, path: 'aws/1.0.0', kind: 'folder' },
      { r: root, path: 'ocm/ocm-plugin', kind: 'executable' },
    ],
  );
});

test('the fingerprint of a plugin folder changes with any file in it', async () => {
  const root = join(temp.path, 'fingerprint');
  const dir = writeManifestPlugin(root, 'p', '1.0.0');
  const first = await takePluginSnapshot([root]);
  assert.deepEqual(await takePluginSnapshot([root]), first, 'stable when nothing changed');
  mkdirSync(join(dir, 'lib'));
  writeFileSync(join(dir, 'lib', 'extra.js'), 'new file in a subfolder');
  const second = await takePluginSnapshot([root]);
  assert.notEqual(second[0]?.fingerprint, first[0]?.fingerprint);
});

test('a missing root is listed, not an error; folders to watch include plugin subfolders', async () => {
  const root = join(temp.path, 'watched');
  const dir = writeManifestPlugin(root, 'p', '1.0.0');
  mkdirSync(join(dir, 'lib'));
  const missing = join(temp.path, 'not-there');
  const scanned = await scanPluginRoots([missing, root]);
  assert.deepEqual(scanned.missingRoots, [missing]);
  for (const folder of [root, join(root, 'p'), dir, join(dir, 'lib')]) {
    assert.ok(scanned.folders.includes(folder), `${folder} is watched`);
  }
});
