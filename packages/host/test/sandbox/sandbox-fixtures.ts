import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SandboxedSpawn } from '../../src/sandbox/index.js';

/** Absolute path under `packages/host/test/fixtures/sandbox` (tests run from dist/test/sandbox). */
export function sandboxFixture(...parts: string[]): string {
  return join(fileURLToPath(new URL('../../../test/fixtures/sandbox/', import.meta.url)), ...parts);
}

/** The Node probe plugin's folder and script. */
export const NODE_PLUGIN_DIR = sandboxFixture('node-plugin');
export const NODE_PROBE = sandboxFixture('node-plugin', 'probe.cjs');
/** The bash probe plugin's folder and executable. */
export const EXE_PLUGIN_DIR = sandboxFixture('exe-plugin');
export const EXE_PROBE = sandboxFixture('exe-plugin', 'probe-exe');

/** Longest a sandboxed fixture may run before the test kills it. */
export const FIXTURE_TIMEOUT_MS = 60_000;

/** How a sandboxed process ended and what it printed. */
export interface ProcessOutcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a sandbox plan to completion (stdin closed at once) and collects its output. */
export function runPlan(plan: SandboxedSpawn): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(plan.command, [...plan.args], {
      cwd: plan.cwd,
      env: plan.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: FIXTURE_TIMEOUT_MS,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 64_000) stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The first stdout line of an outcome, parsed as JSON. */
export function firstJsonLine(outcome: ProcessOutcome): Record<string, unknown> {
  const line = outcome.stdout.split('\n')[0] ?? '';
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(
      `expected a JSON line on stdout, got ${JSON.stringify(outcome.stdout)}; ` +
        `exit ${String(outcome.code)}/${String(outcome.signal)}; stderr: ${outcome.stderr}`,
    );
  }
}
