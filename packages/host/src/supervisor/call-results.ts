import type { IncomingMessage } from 'node:http';
import { isErrorCode, PlugboardError } from '@plugboard/core';
import {
  isNdjsonContentType,
  isStreamErrorLine,
  ndjsonValues,
  parseErrorBody,
} from '@plugboard/protocol';
import { fromProtocolError } from '../protocol-errors.js';
import { readResponseText, responseTextChunks } from './plugin-http-client.js';

/** Largest error body read from a plugin, in bytes. */
const MAX_ERROR_BODY_BYTES = 1024 * 1024;

/**
 * Turns a plugin's error body (or a stream's error line) into a `PlugboardError`: the plugin's own
 * code when it is one of Plugboard's, else `PLUGIN_CALL_FAILED` with the plugin's code in details.
 */
export function pluginCallError(value: unknown, subject: string, status?: number): PlugboardError {
  const body = parseErrorBody(value);
  if (body === undefined) {
    return new PlugboardError(
      'PLUGIN_PROTOCOL_ERROR',
      `${subject}: the plugin answered ${status === undefined ? 'an error line' : `HTTP ${status}`} without a valid {"error":{"code","message"}} body`,
      { details: { ...(status === undefined ? {} : { status }) } },
    );
  }
  const { code, message, details } = body.error;
  return new PlugboardError(
    isErrorCode(code) ? code : 'PLUGIN_CALL_FAILED',
    `${subject}: ${message}`,
    {
      details: {
        ...details,
        pluginCode: code,
        ...(status === undefined ? {} : { status }),
      },
    },
  );
}

/** Reads a non-2xx answer and returns the error it carries. */
export async function errorFromResponse(
  response: IncomingMessage,
  subject: string,
): Promise<PlugboardError> {
  const status = response.statusCode ?? 0;
  const text = await readResponseText(response, subject, MAX_ERROR_BODY_BYTES);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  return pluginCallError(value, subject, status);
}

/**
 * Reads a successful answer: a JSON body becomes one value (an empty body `undefined`); an NDJSON
 * body is collected into an array, and its error line, if any, is thrown.
 */
export async function readCallResult(response: IncomingMessage, subject: string): Promise<unknown> {
  if (isNdjsonContentType(response.headers['content-type'])) {
    const values: unknown[] = [];
    for await (const value of streamCallResult(response, subject)) values.push(value);
    return values;
  }
  const text = await readResponseText(response, subject);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new PlugboardError('PLUGIN_PROTOCOL_ERROR', `${subject}: the answer is not JSON`, {
      cause: error,
    });
  }
}

/**
 * Yields the values of a successful answer: each NDJSON line, or the single JSON body. The stream's
 * error line is thrown as the plugin's error.
 */
export async function* streamCallResult(
  response: IncomingMessage,
  subject: string,
): AsyncGenerator<unknown, void, undefined> {
  if (!isNdjsonContentType(response.headers['content-type'])) {
    const value = await readCallResult(response, subject);
    if (value !== undefined) yield value;
    return;
  }
  try {
    for await (const value of ndjsonValues(responseTextChunks(response))) {
      if (isStreamErrorLine(value)) throw pluginCallError(value, subject);
      yield value;
    }
  } catch (error) {
    throw fromProtocolError(error, subject);
  }
}
