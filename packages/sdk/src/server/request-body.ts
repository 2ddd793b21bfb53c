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
  const text = await readBodyText(request, maxBytes);
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

// Plain listeners rather than `for await`: every call's body is read here, and the async iterator
// costs several promise turns per chunk. On overflow the request is destroyed, as leaving the
// loop early would.
function readBodyText(request: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        finish();
        request.destroy();
        reject(new PluginError('PAYLOAD_TOO_LARGE', `the request body exceeds ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      finish();
      resolve(
        chunks.length === 1
          ? (chunks[0] as Buffer).toString('utf8')
          : Buffer.concat(chunks).toString('utf8'),
      );
    };
    const onError = (error: Error): void => {
      finish();
      reject(error);
    };
    // A request destroyed before its end (the caller left) emits 'close' without 'end'.
    const onClose = (): void => {
      finish();
      reject(prematureClose(request));
    };
    if (request.destroyed) {
      reject(prematureClose(request));
      return;
    }
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', onError);
    request.once('close', onClose);
  });
}

function prematureClose(request: IncomingMessage): Error {
  return (
    request.errored ??
    Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' })
  );
}
