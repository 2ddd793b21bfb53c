import { chmodSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { socketPathProblem, type PluginAddress } from '@plugboard/protocol/address';
import type { PluginLogger } from '../plugin-logger.js';

function listenOnce(
  server: Server,
  target: string | { host: string; port: number },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    if (typeof target === 'string') server.listen(target);
    else server.listen(target.port, target.host);
  });
}

/**
 * Listens on the unix socket `socketPath`; when that is impossible (path too long, directory not
 * writable, unix sockets unavailable) listens on TCP 127.0.0.1 with a port the OS picks instead.
 * The socket file is made owner-only, since the directory may not be.
 */
export async function listenWithFallback(
  server: Server,
  socketPath: string,
  log: PluginLogger,
): Promise<PluginAddress> {
  const problem = socketPathProblem(socketPath);
  if (problem === undefined) {
    try {
      await listenOnce(server, socketPath);
      try {
        chmodSync(socketPath, 0o600);
      } catch (error) {
        log.warn({ err: error, socket: socketPath }, 'could not make the socket file owner-only');
      }
      return { kind: 'unix', path: socketPath };
    } catch (error) {
      log.warn(
        { err: error, socket: socketPath },
        'cannot listen on the unix socket; falling back to TCP 127.0.0.1',
      );
    }
  } else {
    log.warn({ socket: socketPath }, `${problem}; falling back to TCP 127.0.0.1`);
  }
  await listenOnce(server, { host: '127.0.0.1', port: 0 });
  const address = server.address() as AddressInfo;
  return { kind: 'tcp', host: '127.0.0.1', port: address.port };
}
