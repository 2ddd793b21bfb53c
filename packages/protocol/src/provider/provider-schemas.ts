import type { JsonSchema } from '../capabilities.js';
import type { ProviderEndpoint } from './provider-messages.js';

const connection = {
  type: 'object',
  properties: {
    endpoint: { type: 'string' },
    config: { type: 'object' },
  },
} as const;

/**
 * JSON Schemas (draft 2020-12) of each provider endpoint's input, as a provider lists them under
 * `schemas` in its capabilities document.
 */
export const PROVIDER_INPUT_SCHEMAS: Readonly<Record<ProviderEndpoint, JsonSchema>> = {
  connect: { type: 'object', required: ['connection'], properties: { connection } },
  validate_connection: { type: 'object', required: ['connection'], properties: { connection } },
  collect: {
    type: 'object',
    required: ['session_id'],
    properties: {
      session_id: { type: 'string', minLength: 1 },
      resource_types: { type: 'array', items: { type: 'string' } },
    },
  },
  disconnect: {
    type: 'object',
    required: ['session_id'],
    properties: { session_id: { type: 'string', minLength: 1 } },
  },
};
