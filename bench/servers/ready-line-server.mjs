// Baseline for cold start: node starts, listens on a unix socket, prints one ready line. Nothing
// a plugin could do to start faster. Usage: node ready-line-server.mjs SOCKET_PATH
import { createServer } from 'node:http';

createServer((_request, response) => response.end('{}')).listen(process.argv[2], () =>
  process.stdout.write(`{"ready":true,"address":"unix://${process.argv[2]}"}\n`),
);
