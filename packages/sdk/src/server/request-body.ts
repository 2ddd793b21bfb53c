import type { IncomingMessage } from 'node:http';
import { PluginError } from '../plugin-error.js';

/**
 * Reads a request body as JSON, refusing more than `maxBytes`. An empty body reads as `{}`, so a
 * call without input can be made with no body at all.
 */
export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new PluginError(
      'PAYLOAD_TOO_LARGE',
      `the request body is ${declared} bytes; at most ${maxBytes} are accepted`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) {
      throw new PluginError('PAYLOAD_TOO_LARGE', `the request body exceeds ${maxBytes} bytes`);
    }
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PluginError('INVALID_ARGUMENT', `the request body is not valid JSON (${reason})`, {
      problems: [{ path: '', message: 'is not valid JSON' }],
    });
  }
}
