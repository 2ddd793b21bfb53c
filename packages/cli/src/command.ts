import type { CliIo } from './cli-io.js';

/** One `plugboard <name>` command. */
export interface Command {
  readonly name: string;
  /** One line for `plugboard --help`. */
  readonly summary: string;
  /** Full usage text for `plugboard <name> --help`. */
  readonly usage: string;
  /** Runs the command and returns its exit code; throws PlugboardError on failure. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
