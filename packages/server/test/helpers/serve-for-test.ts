/**
 * A registry server process for tests that need a real process (SIGKILL mid-publish): starts the
 * composition root on 127.0.0.1, port 0, over the data folder given as the first argument, prints
 * `{"origin": "http://127.0.0.1:<port>"}` on stdout once listening, and closes on SIGTERM.
 * Usage: node dist/test/helpers/serve-for-test.js <data-dir>   (PLUGBOARD_ADMIN_TOKEN in env)
 */
import { loadServerConfig, startServer } from '@plugboard/server';

const dataDir = process.argv[2];
// `node --test dist/test/` runs every file, this one too: without a data folder it does nothing.
if (dataDir !== undefined) await serve(dataDir);

async function serve(data: string): Promise<void> {
  const config = await loadServerConfig(
    { data, port: '0', host: '127.0.0.1' },
    { ...process.env, PLUGBOARD_LOG_LEVEL: 'silent' },
    process.cwd(),
  );
  const server = await startServer(config);
  process.stdout.write(`${JSON.stringify({ origin: server.origin })}\n`);
  process.once('SIGTERM', () => {
    void server.close().then(() => process.exit(0));
  });
}
