import type { FastifyReply } from 'fastify';

type Serialized = ReturnType<FastifyReply['serialize']>;

/** Variants remembered per view; more (e.g. many Host headers) are serialized each time. */
export const MAX_VARIANTS_PER_VIEW = 8;

/**
 * The JSON text of views that never change once built (a cached plugin detail or list page is
 * replaced, never mutated, when its data changes), remembered per view object and variant (e.g.
 * the columns asked for). A hot read then costs no serialization: the text is made once by the
 * route's own response serializer (so it is exactly what the route would have sent) and dropped
 * with the view when the cache that built it lets the view go.
 */
export class SerializedViews<View extends object> {
  readonly #texts = new WeakMap<View, Map<string, Serialized>>();

  /** Sends `body(view)` as the reply's JSON, serializing it only the first time for this view. */
  send(reply: FastifyReply, view: View, body: (view: View) => unknown, variant = ''): FastifyReply {
    let texts = this.#texts.get(view);
    if (texts === undefined) {
      texts = new Map();
      this.#texts.set(view, texts);
    }
    let text = texts.get(variant);
    if (text === undefined) {
      text = reply.serialize(body(view));
      if (texts.size < MAX_VARIANTS_PER_VIEW) texts.set(variant, text);
    }
    return reply.type('application/json; charset=utf-8').send(text);
  }
}
