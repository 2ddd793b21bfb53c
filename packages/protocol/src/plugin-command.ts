import { ProtocolError } from './protocol-error.js';

/** What a plugin executable was asked to do by its command line. */
export type PluginCommand =
  { readonly command: 'capabilities' } | { readonly command: 'serve'; readonly socketPath: string };

/** Command-line argument that asks for the capabilities document. */
export const CAPABILITIES_COMMAND = 'capabilities';

/** Command-line argument that starts serving. */
export const SERVE_COMMAND = 'serve';

/** Flag of `serve` naming the unix socket path to listen on. */
export const SOCKET_FLAG = '--socket';

/** The argv a host passes to make a plugin serve: `['serve', '--socket', path]`. */
export function serveArgs(socketPath: string): string[] {
  return [SERVE_COMMAND, SOCKET_FLAG, socketPath];
}

/**
 * Parses a plugin's arguments (without the executable): `capabilities`, or `serve --socket P`
 * (also `--socket=P`). Anything else is a `USAGE` `ProtocolError` whose message shows the usage.
 */
export function parsePluginArgs(args: readonly string[]): PluginCommand {
  const usage = `usage: <plugin> ${CAPABILITIES_COMMAND} | <plugin> ${SERVE_COMMAND} ${SOCKET_FLAG} <path>`;
  const fail = (why: string): never => {
    throw new ProtocolError('USAGE', `${why}; ${usage}`, {
      problems: [{ path: '', message: why }],
    });
  };
  const [command, ...rest] = args;
  if (command === CAPABILITIES_COMMAND) {
    if (rest.length > 0) fail(`unexpected argument "${rest[0]}" after ${CAPABILITIES_COMMAND}`);
    return { command: 'capabilities' };
  }
  if (command === SERVE_COMMAND) {
    let socketPath: string | undefined;
    for (let i = 0; i < rest.length; i++) {
      const arg = rest[i] ?? '';
      if (arg === SOCKET_FLAG) {
        socketPath = rest[i + 1];
        if (socketPath === undefined || socketPath === '') fail(`${SOCKET_FLAG} needs a path`);
        i++;
      } else if (arg.startsWith(`${SOCKET_FLAG}=`)) {
        socketPath = arg.slice(SOCKET_FLAG.length + 1);
        if (socketPath === '') fail(`${SOCKET_FLAG} needs a path`);
      } else {
        fail(`unexpected argument "${arg}"`);
      }
    }
    if (socketPath === undefined) return fail(`${SERVE_COMMAND} needs ${SOCKET_FLAG} <path>`);
    return { command: 'serve', socketPath };
  }
  return fail(command === undefined ? 'no command given' : `unknown command "${command}"`);
}
