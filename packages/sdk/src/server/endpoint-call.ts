import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody } from '@plugboard/protocol/error-body';
import {
  JSON_CONTENT_TYPE,
  parseTimeoutHeader,
  REQUEST_ID_HEADER,
  TIMEOUT_HEADER,
} from '@plugboard/protocol/headers';
import type { CallInFlight } from './plugin-server.js';
import { sendError } from './json-answer.js';
import { describeProblems, type InputCheck } from '../input-validator.js';
import type { EndpointDefinition, HandlerContext } from '../plugin-definition.js';
import { errorToBody, PluginError } from '../plugin-error.js';
import type { PluginLogger } from '../plugin-logger.js';
import { sendNdjsonStream } from './ndjson-response.js';
import { readJsonBody } from './request-body.js';

/** What a call needs besides the request: the endpoint, its input check and the plugin context. */
export interface EndpointCallOptions {
  readonly endpoint: EndpointDefinition<unknown>;
  readonly inputCheck: Promise<InputCheck> | undefined;
  readonly config: Readonly<Record<string, unknown>>;
  readonly log: PluginLogger;
  readonly maxBodyBytes: number;
  readonly call: CallInFlight;
}

/**
 * Serves one `POST /v1/<type>/<endpoint>`: reads and checks the input, runs the handler with an
 * abort signal (caller gone, `x-plugboard-timeout-ms`, shutdown), and answers JSON or NDJSON. Never
 * throws: every failure becomes an error answer.
 */
export async function serveEndpointCall(
  request: IncomingMessage,
  response: ServerResponse,
  options: EndpointCallOptions,
): Promise<void> {
  const { call, endpoint } = options;
  const requestId = request.headers[REQUEST_ID_HEADER];
  const log =
    typeof requestId === 'string' ? options.log.child({ request_id: requestId }) : options.log;
  const timeoutMs = parseTimeoutHeader(request.headers[TIMEOUT_HEADER]);
  const timer =
    timeoutMs === undefined ? undefined : setTimeout(() => call.abort('timeout'), timeoutMs);
  response.on('close', () => {
    if (!response.writableFinished) call.abort('client-gone');
  });
  // A write racing the caller's disconnect may fail; that is the caller leaving, not a crash.
  response.on('error', (error) => log.debug({ err: error }, 'answer could not be written'));
  try {
    const input = await readJsonBody(request, options.maxBodyBytes);
    if (options.inputCheck !== undefined) {
      const problems = (await options.inputCheck)(input);
      if (problems.length > 0) {
        sendError(
          response,
          errorBody('INVALID_ARGUMENT', describeProblems('input', problems), { problems }),
        );
        return;
      }
    }
    // The signal is made on first use: creating an AbortSignal costs more than the rest of a
    // simple call's bookkeeping, and most handlers never look at it.
    const context: HandlerContext = {
      get signal() {
        return call.controller.signal;
      },
      config: options.config,
      log,
    };
    if (endpoint.stream === true) {
      const values = endpoint.handler(input, context);
      await sendNdjsonStream(response, values, () => call.reason, log);
      return;
    }
    const result: unknown = await endpoint.handler(input, context);
    if (call.reason === 'client-gone') return;
    let text: string;
    try {
      text = JSON.stringify(result === undefined ? {} : result);
    } catch (error) {
      throw new PluginError(
        'PLUGIN_CALL_FAILED',
        `the handler's result is not JSON-serialisable (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    response.writeHead(200, {
      'content-type': JSON_CONTENT_TYPE,
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  } catch (error) {
    const body = errorToBody(error, call.reason);
    const level =
      body.error.code === 'PLUGIN_CALL_FAILED' || body.error.code === 'INTERNAL' ? 'error' : 'info';
    log[level]({ err: error, code: body.error.code }, 'call failed');
    if (call.reason !== 'client-gone') sendError(response, body);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
