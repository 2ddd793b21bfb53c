import { PlugboardError } from '@plugboard/core';
import type { FastifyRequest } from 'fastify';

/**
 * Refuses a multipart/form-data request whose Content-Type has no `boundary=` parameter: busboy
 * cannot split such a body and would throw a plain error (a 500) at the first `parts()` call.
 */
export function requireMultipartBoundary(request: FastifyRequest): void {
  const header = request.headers['content-type'] ?? '';
  if (!/^\s*multipart\/form-data\s*(;|$)/iu.test(header)) return;
  if (/;\s*boundary=[^;\s]/iu.test(header)) return;
  throw new PlugboardError(
    'INVALID_ARGUMENT',
    'a multipart/form-data body needs a boundary parameter in its Content-Type (multipart/form-data; boundary=…)',
    { details: { problems: [{ path: 'headers.content-type', message: 'has no boundary' }] } },
  );
}
