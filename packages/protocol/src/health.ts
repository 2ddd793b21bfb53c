import { isJsonObject, jsonTypeName } from './json-shape.js';
import { protocolProblemsError } from './protocol-error.js';

/** The answer to `GET /healthz`. */
export interface HealthBody {
  readonly status: 'ok';
  /** Calls being served right now. */
  readonly in_flight: number;
  readonly [extra: string]: unknown;
}

/** Parses a `/healthz` answer; throws `PLUGIN_PROTOCOL_ERROR` when it is not `{status:"ok",in_flight:N}`. */
export function parseHealthBody(value: unknown): HealthBody {
  if (!isJsonObject(value)) {
    throw protocolProblemsError('PLUGIN_PROTOCOL_ERROR', 'health answer', [
      { path: '', message: `must be a JSON object, got ${jsonTypeName(value)}` },
    ]);
  }
  const problems = [];
  if (value['status'] !== 'ok') problems.push({ path: 'status', message: 'must be "ok"' });
  const inFlight = value['in_flight'];
  if (!(typeof inFlight === 'number' && Number.isSafeInteger(inFlight) && inFlight >= 0)) {
    problems.push({ path: 'in_flight', message: 'must be an integer ≥ 0' });
  }
  if (problems.length > 0)
    throw protocolProblemsError('PLUGIN_PROTOCOL_ERROR', 'health answer', problems);
  return value as HealthBody;
}
