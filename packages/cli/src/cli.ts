import { PlugboardError } from '@plugboard/core';
import { processIo, type CliIo } from './cli-io.js';
import type { Command } from './command.js';
import { collectCommand } from './commands/collect.js';
import { deprecateCommand } from './commands/deprecate.js';
import { disableCommand } from './commands/disable.js';
import { enableCommand } from './commands/enable.js';
import { hostCommand } from './commands/host.js';
import { installCommand } from './commands/install.js';
import { keysCommand } from './commands/keys.js';
import { listCommand } from './commands/list.js';
import { loginCommand } from './commands/login.js';
import { pluginsCommand } from './commands/plugins.js';
import { providerCommand } from './commands/provider.js';
import { publishCommand } from './commands/publish.js';
import { registerCommand } from './commands/register.js';
import { removeCommand } from './commands/remove.js';
import { resourcesCommand } from './commands/resources.js';
import { searchCommand } from './commands/search.js';
import { serveCommand } from './commands/serve.js';
import { showCommand } from './commands/show.js';
import { updateCommand } from './commands/update.js';
import { validateCommand } from './commands/validate.js';
import { yankCommand } from './commands/yank.js';
import { reportError, toPlugboardError } from './report-error.js';
import { CLI_VERSION } from './version.js';

/** Every command, in the order `--help` lists them. */
const COMMANDS: readonly Command[] = [
  installCommand,
  updateCommand,
  removeCommand,
  listCommand,
  showCommand,
  validateCommand,
  enableCommand,
  disableCommand,
  searchCommand,
  publishCommand,
  yankCommand,
  deprecateCommand,
  loginCommand,
  keysCommand,
  registerCommand,
  pluginsCommand,
  hostCommand,
  providerCommand,
  collectCommand,
  resourcesCommand,
  serveCommand,
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const lines = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `plugboard ${CLI_VERSION} — plugin registry and plugin manager

Usage: plugboard <command> [options]

Commands:
${lines.join('\n')}

Options:
  -h, --help     show help (also: plugboard <command> --help)
  -v, --version  print the version

Exit codes: 0 ok, 1 internal, 2 usage, 3 invalid input, 4 not found, 5 conflict,
6 auth, 7 integrity, 8 plugin runtime, 9 unavailable (docs/errors.md).
`;
}

/**
 * Runs the CLI and returns the exit code. The one place where errors become exit codes.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2));
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  const json = rest.includes('--json');
  try {
    if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
      io.stdout(usage());
      return name === undefined ? 2 : 0;
    }
    if (name === '-v' || name === '--version') {
      io.stdout(`${CLI_VERSION}\n`);
      return 0;
    }
    const command = COMMANDS.find((candidate) => candidate.name === name);
    if (command === undefined) {
      throw new PlugboardError('USAGE', `unknown command "${name}"; run plugboard --help`);
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`${command.usage}\n`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (error) {
    const failure = toUsageError(error);
    reportError(io, failure, json);
    return failure.exitCode;
  }
}

/** node:util parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for bad flags: those are usage errors. */
function toUsageError(error: unknown): PlugboardError {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_') && error instanceof Error) {
    return new PlugboardError('USAGE', error.message, { cause: error });
  }
  return toPlugboardError(error);
}
