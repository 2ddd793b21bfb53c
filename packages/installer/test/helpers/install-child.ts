/**
 * Runs one install in a child process, for crash and concurrency tests:
 *   node install-child.js <root> <cwd> <reference> [--pause-at STEP] [--delay-at STEP:MS] [--force]
 * Prints `WAITING` when another process holds the lock, `PAUSED <step>` when it reaches the pause
 * step (then waits to be killed), and finally the outcomes as one JSON line.
 */
import { Installer, type ChangeStep } from '../../src/index.js';

const [root, cwd, reference, ...flags] = process.argv.slice(2);
// `node --test dist/test/` runs every file, this one too: without arguments it does nothing.
if (root !== undefined && cwd !== undefined && reference !== undefined)
  await main(root, cwd, reference, flags);

async function main(
  installRoot: string,
  workdir: string,
  ref: string,
  options: string[],
): Promise<void> {
  const pauseAt = valueOf(options, '--pause-at');
  const delay = valueOf(options, '--delay-at')?.split(':');
  const installer = new Installer({
    installRoot,
    cwd: workdir,
    onWaitForLock: () => process.stdout.write('WAITING\n'),
    async stepHook(step: ChangeStep) {
      if (step === pauseAt) {
        process.stdout.write(`PAUSED ${step}\n`);
        await new Promise(() => undefined);
      }
      if (delay !== undefined && step === delay[0]) {
        await new Promise((resolve) => setTimeout(resolve, Number(delay[1])));
      }
    },
  });
  const outcomes = await installer.install([ref], { force: options.includes('--force') });
  process.stdout.write(`${JSON.stringify(outcomes)}\n`);
}

function valueOf(options: readonly string[], flag: string): string | undefined {
  const index = options.indexOf(flag);
  return index < 0 ? undefined : options[index + 1];
}
