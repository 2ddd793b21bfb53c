import type { ServerResponse } from 'node:http';
import { httpStatusForCode, type ErrorBody } from '@plugboard/protocol/error-body';
import { JSON_CONTENT_TYPE } from '@plugboard/protocol/headers';

/** Sends a JSON answer. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** Sends an error answer with the status that goes with its code. */
export function sendError(response: ServerResponse, body: ErrorBody): void {
  sendJson(response, httpStatusForCode(body.error.code), body);
}
