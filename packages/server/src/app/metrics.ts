import type { FastifyInstance } from 'fastify';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { RequestMetrics } from './request-metrics.js';

/** Prometheus metrics of one app: process defaults plus request counts and durations by route. */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests = new RequestMetrics();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'plugboard_' });
    this.requests.registerIn(this.registry);
  }

  /** Counts every response; the route label is the pattern (`/api/v1/plugins/:name`), never the raw URL. */
  install(app: FastifyInstance): void {
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      this.requests.record(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
  }
}
