// What the figures were measured on: they only mean something next to the machine and its load.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, release } from 'node:os';

/** The load averages (1, 5, 15 min) as `/proc/loadavg` prints them, e.g. `6.15 8.07 7.46`. */
export function loadAverage() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}

function commandOutput(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim();
  } catch {
    return 'n/a';
  }
}

/** nproc, `free -g`, CPU model, kernel and Node version. */
export function describeMachine() {
  return {
    nproc: commandOutput('nproc', []) || String(availableParallelism()),
    cpuModel: cpus()[0]?.model ?? 'n/a',
    freeG: commandOutput('free', ['-g']),
    kernel: release(),
    node: process.version,
    loadAverageAtStart: loadAverage(),
  };
}
