import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The compiled install-child script. */
export const INSTALL_CHILD = fileURLToPath(new URL('./install-child.js', import.meta.url));

/** A child process with its output gathered and a way to wait for a line. */
export interface RunningChild {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves when stdout has a line matching `pattern`; rejects when the child exits first. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node <script> ...args`. */
export function startChild(script: string, args: readonly string[]): RunningChild {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      for (const listener of listeners) listener();
      resolve({ code, signal });
    }),
  );
  return {
    child,
    output: () => `${stdout}${stderr === '' ? '' : `\n[stderr]\n${stderr}`}`,
    exited,
    waitForLine(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = stdout.split('\n').find((candidate) => pattern.test(candidate));
          if (line !== undefined) {
            done();
            resolve(line);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`child exited before printing ${pattern}: ${stdout} ${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no line ${pattern} within ${timeoutMs} ms: ${stdout} ${stderr}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}
