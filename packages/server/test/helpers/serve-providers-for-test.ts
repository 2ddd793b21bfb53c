/**
 * A registry server process for the provider scale-out test: starts the composition root on
 * 127.0.0.1, port 0, over the data folder and database URL given as arguments, logs JSON lines
 * (pino, level info) on stdout, prints `{"origin": "http://127.0.0.1:<port>"}` once listening,
 * and closes on SIGTERM. Environment: PLUGBOARD_ADMIN_PASSWORD, PLUGBOARD_SECRET_KEY, …
 * Usage: node dist/test/helpers/serve-providers-for-test.js <data-dir> <database-url>
 */
import { loadServerConfig, startServer } from '@plugboard/server';

const [dataDir, database] = process.argv.slice(2);
// `node --test dist/test/` runs every file, this one too: without arguments it does nothing.
if (dataDir !== undefined && database !== undefined) await serve(dataDir, database);

async function serve(data: string, url: string): Promise<void> {
  const config = await loadServerConfig(
    { data, database: url, port: '0', host: '127.0.0.1' },
    { ...process.env, PLUGBOARD_LOG_LEVEL: 'info' },
    process.cwd(),
  );
  const server = await startServer(config, {});
  process.stdout.write(`${JSON.stringify({ origin: server.origin })}\n`);
  process.once('SIGTERM', () => {
    void server.close().then(() => process.exit(0));
  });
}
