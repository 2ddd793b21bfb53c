import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../app/server-context.js';

/** Registers one group of routes on the `/api/v1` scope. */
export type RouteModule = (api: FastifyInstance, context: ServerContext) => void;
