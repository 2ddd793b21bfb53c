import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { isFinalRunState, type InventoryClient, type RunView } from '@plugboard/client';
import { PlugboardError, isErrorCode } from '@plugboard/core';
import type { CliIo } from '../cli-io.js';
import { toJsonText } from '../client-config/text-table.js';
import type { Command } from '../command.js';
import { text } from '../providers/inventory-output.js';
import {
  INVENTORY_OPTIONS,
  INVENTORY_USAGE,
  openInventoryClient,
} from '../providers/inventory-target.js';
import { findProvider } from '../providers/provider-ref.js';

const USAGE = `plugboard collect <provider id|name> [--wait [--timeout SECONDS]] [--type T]... [--json]

  Starts a collection run of a provider (POST /providers/{id}/collect) and prints its id.
  --wait     polls the run until it ends (progress on stderr when it is a terminal), prints its
             counts, and exits non-zero when it failed or was canceled (the run's error code)
  --timeout  with --wait: give up waiting after SECONDS (the run goes on); default no limit
  --type     collect only these resource types
  --json     print the run as JSON
${INVENTORY_USAGE}`;

/** How often `--wait` reads the run, in milliseconds. */
const RUN_POLL_INTERVAL_MS = 500;

/** `plugboard collect`: start a collection run and optionally wait for it. */
export const collectCommand: Command = {
  name: 'collect',
  summary: 'start a collection run of a provider; --wait follows it to the end',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        ...INVENTORY_OPTIONS,
        wait: { type: 'boolean', default: false },
        timeout: { type: 'string' },
        type: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
      },
    });
    const [ref, ...extra] = positionals;
    if (ref === undefined || extra.length > 0) {
      throw new PlugboardError('USAGE', 'collect needs exactly one <provider id|name>');
    }
    const timeoutSeconds = values.timeout === undefined ? undefined : Number(values.timeout);
    if (timeoutSeconds !== undefined && !(timeoutSeconds > 0)) {
      throw new PlugboardError('USAGE', '--timeout takes a number of seconds greater than 0');
    }
    const client = await openInventoryClient(io, values);
    const provider = await findProvider(client, ref);
    const started = await client.collect(provider.id, { resourceTypes: values.type });
    const runId = started.id;
    if (!values.wait) {
      io.stdout(
        values.json
          ? toJsonText(started)
          : `run ${runId} ${started.state} for provider ${provider.name}\n`,
      );
      return 0;
    }
    const run = await waitForEnd(client, runId, io, timeoutSeconds);
    io.stdout(values.json ? toJsonText(run) : `${summary(run)}\n`);
    if (run.state === 'failed' || run.state === 'canceled') throw runError(run);
    if (run.state === 'partial') {
      io.stderr(
        `warning: run ${runId} skipped ${run.invalid} invalid resource(s): ${errorMessage(run)}\n`,
      );
    }
    return 0;
  },
};

/** Polls the run until it ends, drawing one progress line on a terminal. */
async function waitForEnd(
  client: InventoryClient,
  runId: string,
  io: CliIo,
  timeoutSeconds: number | undefined,
): Promise<RunView> {
  const deadline = timeoutSeconds === undefined ? Infinity : Date.now() + timeoutSeconds * 1000;
  const tty = io.stderrIsTTY === true;
  for (;;) {
    const run = await client.getRun(runId);
    const state = run.state;
    if (isFinalRunState(state)) {
      if (tty) io.stderr('\r\x1b[K');
      return run;
    }
    if (tty) io.stderr(`\r\x1b[K${state}: ${run.found} resources found`);
    if (Date.now() > deadline) {
      if (tty) io.stderr('\n');
      throw new PlugboardError(
        'TIMEOUT',
        `run ${runId} is still ${state} after ${String(timeoutSeconds)} s; it goes on (see GET /runs/${runId})`,
      );
    }
    await sleep(RUN_POLL_INTERVAL_MS);
  }
}

/** `run <id> completed: found 12, created 12, … in 340 ms`. */
function summary(run: RunView): string {
  const counts = (['found', 'created', 'updated', 'unchanged', 'removed', 'invalid'] as const)
    .map((field) => `${field} ${text(run[field] ?? 0)}`)
    .join(', ');
  const duration = run.duration_ms === null ? '' : ` in ${run.duration_ms} ms`;
  return `run ${run.id} ${run.state}: ${counts}${duration}`;
}

function errorMessage(run: RunView): string {
  return typeof run.error?.message === 'string' ? run.error.message : 'no error recorded';
}

/** A failed run as an error with the run's own code, so the exit code tells what went wrong. */
function runError(run: RunView): PlugboardError {
  const errorCode = run.error?.code;
  const code =
    errorCode !== undefined && isErrorCode(errorCode)
      ? errorCode
      : run.state === 'canceled'
        ? 'ABORTED'
        : 'PLUGIN_CALL_FAILED';
  return new PlugboardError(code, `run ${run.id} ${run.state}: ${errorMessage(run)}`, {
    details: { run_id: run.id },
  });
}
