import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTempDir } from '@plugboard/test-support';
import { Installer, readLockFile, type ChangeStep } from '../../src/index.js';
import { INSTALL_CHILD, startChild } from '../helpers/child-process.js';
import { pluginPackage } from '../helpers/plugin-package.js';

/** Sets up a root with echo@1.0.0 ("old") installed, and packages for 2.0.0 and a rebuilt 1.0.0. */
async function rootWithOldVersion() {
  const dir = makeTempDir('plugboard-crash-');
  const root = join(dir.path, 'plugins');
  writeFileSync(join(dir.path, 'old.tgz'), pluginPackage({ version: '1.0.0', flavour: 'old' }));
  writeFileSync(join(dir.path, 'new.tgz'), pluginPackage({ version: '2.0.0', flavour: 'new' }));
  writeFileSync(
    join(dir.path, 'rebuilt.tgz'),
    pluginPackage({ version: '1.0.0', flavour: 'rebuilt' }),
  );
  const installer = new Installer({ installRoot: root, cwd: dir.path });
  await installer.install(['./old.tgz']);
  return { dir, root, installer };
}

/** After recovery: exactly one good version, matching the lock, and no leftovers. */
async function assertConsistent(
  installer: Installer,
  root: string,
  flavour: string,
  version: string,
) {
  await installer.recover();
  assert.deepEqual(readdirSync(join(root, 'echo')), [version]);
  assert.match(
    readFileSync(join(root, 'echo', version, 'bin', 'run'), 'utf8'),
    new RegExp(`# ${flavour}`),
  );
  const [report] = await installer.verify('echo');
  assert.equal(report?.ok, true, JSON.stringify(report?.checks));
  const lock = await readLockFile(join(root, 'plugboard.lock'));
  assert.equal(lock.plugins[0]?.version, version);
  for (const sub of ['staging', 'journal', 'trash']) {
    const path = join(root, '.plugboard', sub);
    assert.deepEqual(existsSync(path) ? readdirSync(path) : [], [], sub);
  }
}

const UPDATE_STEPS: readonly [ChangeStep, boolean][] = [
  ['journal-written', false],
  ['new-moved-in', false],
  ['committed', true],
  ['lock-file-written', true],
  ['cleaned-up', true],
];

for (const [step, committed] of UPDATE_STEPS) {
  test(`SIGKILL at "${step}" during an update leaves one working version: ${committed ? 'the new one, finished' : 'the old one, rolled back'} by the next run`, async () => {
    const { dir, root, installer } = await rootWithOldVersion();
    try {
      const child = startChild(INSTALL_CHILD, [root, dir.path, './new.tgz', '--pause-at', step]);
      await child.waitForLine(new RegExp(`^PAUSED ${step}$`));
      child.child.kill('SIGKILL');
      await child.exited;
      if (!committed) {
        // Before the commit point the old version is untouched where the host looks for it.
        assert.match(readFileSync(join(root, 'echo', '1.0.0', 'bin', 'run'), 'utf8'), /# old/);
      }
      await assertConsistent(
        installer,
        root,
        committed ? 'new' : 'old',
        committed ? '2.0.0' : '1.0.0',
      );
    } finally {
      dir.remove();
    }
  });
}

for (const step of ['old-moved-aside', 'new-moved-in'] as const) {
  test(`SIGKILL at "${step}" while replacing the same version with --force puts the old folder back`, async () => {
    const { dir, root, installer } = await rootWithOldVersion();
    try {
      const child = startChild(INSTALL_CHILD, [
        root,
        dir.path,
        './rebuilt.tgz',
        '--force',
        '--pause-at',
        step,
      ]);
      await child.waitForLine(new RegExp(`^PAUSED ${step}$`));
      child.child.kill('SIGKILL');
      await child.exited;
      await assertConsistent(installer, root, 'old', '1.0.0');
      // And the next install goes through: the dead process's lock does not block it.
      const [outcome] = await installer.install(['./rebuilt.tgz'], { force: true });
      assert.equal(outcome?.status, 'updated');
    } finally {
      dir.remove();
    }
  });
}

test('SIGKILL during the download leaves the old version working and the partial download is cleaned up', async () => {
  const { dir, root, installer } = await rootWithOldVersion();
  const bytes = pluginPackage({
    version: '2.0.0',
    flavour: 'new',
    extra: [{ path: 'big.bin', content: Buffer.alloc(2 * 1024 * 1024, 7) }],
  });
  let sentHalf!: () => void;
  const halfway = new Promise<void>((resolve) => (sentHalf = resolve));
  const server = createServer((request, response) => {
    if (request.url?.endsWith('.sig') === true) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-length': String(bytes.length) });
    response.write(bytes.subarray(0, bytes.length >> 1), () => sentHalf());
    // The rest never comes: the client is killed while waiting.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  try {
    const child = startChild(INSTALL_CHILD, [
      root,
      dir.path,
      `http://127.0.0.1:${port}/echo-2.0.0.tgz`,
    ]);
    await halfway;
    // Wait until the child has written part of it into staging.
    const staging = join(root, '.plugboard', 'staging');
    for (
      let i = 0;
      i < 200 && (!existsSync(staging) || readdirSync(staging).length === 0);
      i += 1
    ) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal(readdirSync(staging).length, 1);
    child.child.kill('SIGKILL');
    await child.exited;
    assert.match(readFileSync(join(root, 'echo', '1.0.0', 'bin', 'run'), 'utf8'), /# old/);
    await assertConsistent(installer, root, 'old', '1.0.0');
  } finally {
    server.closeAllConnections();
    server.close();
    dir.remove();
  }
});

test('two processes installing one plugin at once end with one good copy', async () => {
  const dir = makeTempDir('plugboard-concurrent-');
  const root = join(dir.path, 'plugins');
  writeFileSync(
    join(dir.path, 'echo.tgz'),
    pluginPackage({
      version: '1.0.0',
      flavour: 'shared',
      extra: [{ path: 'big.bin', content: Buffer.alloc(1024 * 1024, 3) }],
    }),
  );
  try {
    // The first holds the lock for a while once it starts moving in, so the second must wait.
    const first = startChild(INSTALL_CHILD, [
      root,
      dir.path,
      './echo.tgz',
      '--delay-at',
      'journal-written:1500',
    ]);
    const second = startChild(INSTALL_CHILD, [
      root,
      dir.path,
      './echo.tgz',
      '--delay-at',
      'journal-written:1500',
    ]);
    const results = await Promise.all([first.exited, second.exited]);
    assert.deepEqual(
      results.map((r) => r.code),
      [0, 0],
      `${first.output()}\n---\n${second.output()}`,
    );
    const outcomes = [first.output(), second.output()].map((out) => {
      const last =
        out
          .trim()
          .split('\n')
          .filter((line) => line.startsWith('['))
          .pop() ?? '[]';
      return (JSON.parse(last) as { status: string }[])[0]?.status;
    });
    assert.deepEqual(outcomes.sort(), ['installed', 'unchanged']);
    assert.ok(
      `${first.output()}${second.output()}`.includes('WAITING'),
      'one of them waited for the lock',
    );
    const installer = new Installer({ installRoot: root });
    await assertConsistent(installer, root, 'shared', '1.0.0');
  } finally {
    dir.remove();
  }
});
