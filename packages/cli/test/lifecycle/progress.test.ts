import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '@plugboard/cli';
import { ProgressBar, formatBytes } from '../../src/client-config/progress-bar.js';
import { clientWorkspace, pluginPackage, writePackage } from './plugboard-workspace.js';

test('the progress bar redraws one line in place and ends it when the transfer completes', () => {
  let out = '';
  const bar = new ProgressBar((text) => (out += text));
  bar.update({ subject: 'echo@1.0.0', bytes: 0, total: 2048 });
  bar.update({ subject: 'echo@1.0.0', bytes: 2048, total: 2048 });
  assert.match(
    out,
    /^\recho@1\.0\.0 \[\.{30}\] 0% 0 B\/2\.0 KiB\recho@1\.0\.0 \[#{30}\] 100% 2\.0 KiB\/2\.0 KiB\n$/,
  );
  assert.equal(formatBytes(1536 * 1024), '1.5 MiB');
});

test('downloads draw a progress bar on a terminal only', async () => {
  const client = clientWorkspace(undefined, undefined);
  try {
    writePackage(client, 'p.tgz', pluginPackage('progress', '1.0.0'));
    const runWith = async (tty: boolean) => {
      let stderr = '';
      const code = await runCli(['install', './p.tgz', '--force'], {
        stdout: () => undefined,
        stderr: (text) => (stderr += text),
        cwd: client.cwd,
        env: client.env,
        stderrIsTTY: tty,
      });
      return { code, stderr };
    };
    const piped = await runWith(false);
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stderr.includes('\r'), false);
    const terminal = await runWith(true);
    assert.equal(terminal.code, 0, terminal.stderr);
    assert.match(terminal.stderr, /\r.*p\.tgz \[#{30}\] 100%/);
  } finally {
    client.remove();
  }
});
