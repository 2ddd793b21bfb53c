// Baseline for registry reads: bare Fastify (the version the registry uses, resolved from the
// repo root) with the registry's three read routes, each returning the JSON body the registry
// returned for the URL. No logging, no auth, no database: the ceiling the registry is held to.
// Usage: node bare-fastify-server.mjs BODIES.json   (prints "listening on PORT")
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const bodies = new Map(Object.entries(JSON.parse(readFileSync(process.argv[2], 'utf8'))));
const app = Fastify({ logger: false });
const reply = async (request, response) => {
  const body = bodies.get(request.url);
  if (body === undefined) return response.code(404).send();
  return body;
};
app.get('/api/v1/plugins', reply);
app.get('/api/v1/plugins/:name', reply);
app.get('/api/v1/plugins/:name/resolve', reply);
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening on ${app.server.address().port}\n`);
