// Baseline for warm plugin calls: a bare node:http server on a unix socket that answers any POST
// with {"echo": <the JSON it received>}, the same work the SDK's echo endpoint does, and nothing else.
// Usage: node uds-echo-server.mjs SOCKET_PATH   (prints "ready" once listening)
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';

const socketPath = process.argv[2];
const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const input = chunks.length === 0 ? null : JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const body = JSON.stringify({ echo: input });
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  });
});
server.listen(socketPath, () => process.stdout.write('ready\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
