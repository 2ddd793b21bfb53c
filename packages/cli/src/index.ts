/** @plugboard/cli — the `plugboard` command, runnable in-process for tests and embedding. */
export { runCli } from './cli.js';
export type { CliIo } from './cli-io.js';
export type { Command } from './command.js';
export { CLI_VERSION } from './version.js';
