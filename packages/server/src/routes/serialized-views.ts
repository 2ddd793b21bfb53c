import type { FastifyReply } from 'fastify';

/** Variants remembered per view; more (e.g. many Host headers) are serialized each time. */
export const MAX_VARIANTS_PER_VIEW = 8;

/**
 * The JSON bytes of views that never change once built (a cached plugin detail or list page is
 * replaced, never mutated, when its data changes), remembered per view object and variant (e.g.
 * the columns asked for). A hot read then costs no serialization: the bytes are made once by the
 * route's own response serializer (so it is exactly what the route would have sent) and dropped
 * with the view when the cache that built it lets the view go.
 */
export class SerializedViews<View extends object> {
  readonly #bodies = new WeakMap<View, Map<string, Buffer>>();

  /** Sends `body(view)` as the reply's JSON, serializing it only the first time for this view. */
  send(reply: FastifyReply, view: View, body: (view: View) => unknown, variant = ''): FastifyReply {
    let bodies = this.#bodies.get(view);
    if (bodies === undefined) {
      bodies = new Map();
      this.#bodies.set(view, bodies);
    }
    let bytes = bodies.get(variant);
    if (bytes === undefined) {
      // Kept as bytes: each send then skips encoding the text and measuring its length.
      const serialized = reply.serialize(body(view));
      bytes =
        typeof serialized === 'string'
          ? Buffer.from(serialized)
          : Buffer.isBuffer(serialized)
            ? serialized
            : Buffer.from(serialized);
      if (bodies.size < MAX_VARIANTS_PER_VIEW) bodies.set(variant, bytes);
    }
    return reply.type('application/json; charset=utf-8').send(bytes);
  }
}
