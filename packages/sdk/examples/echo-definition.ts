import { setTimeout as sleep } from 'node:timers/promises';
import { definePlugin, PluginError } from '@plugboard/sdk';

interface CountInput {
  n: number;
  interval_ms?: number;
  fail_at?: number;
}

interface FailInput {
  code?: string;
  message?: string;
}

/**
 * The echo example: capability `echo` with JSON endpoints `echo`, `sleep`, `fail`, `config` and the
 * NDJSON endpoint `count`. Its default export runs under `plugboard-plugin`; `echo-plugin.ts` is
 * the same plugin as a `#!/usr/bin/env node` executable.
 */
export default definePlugin({
  name: 'echo-plugin',
  version: '0.1.0',
  capabilities: [
    {
      type: 'echo',
      endpoints: {
        // Answers `{echo: <input>}`.
        echo: {
          inputSchema: { type: 'object' },
          handler: (input: unknown) => ({ echo: input }),
        },
        // Streams `{"i":0}` … `{"i":n-1}`, optionally spaced out, optionally failing at `fail_at`.
        count: {
          stream: true,
          inputSchema: {
            type: 'object',
            required: ['n'],
            properties: {
              n: { type: 'integer', minimum: 0, maximum: 10_000_000 },
              interval_ms: { type: 'integer', minimum: 0, maximum: 60_000 },
              fail_at: { type: 'integer', minimum: 0 },
            },
            additionalProperties: false,
          },
          handler: async function* (input: CountInput, { signal }) {
            for (let i = 0; i < input.n; i++) {
              if (i === input.fail_at)
                throw new PluginError('UNAVAILABLE', `count failed at ${i} as asked`);
              if (input.interval_ms !== undefined && input.interval_ms > 0 && i > 0) {
                await sleep(input.interval_ms, undefined, { signal });
              }
              yield { i };
            }
          },
        },
        // Waits `ms` (abortably) and answers `{slept: ms}`.
        sleep: {
          inputSchema: {
            type: 'object',
            required: ['ms'],
            properties: { ms: { type: 'integer', minimum: 0, maximum: 600_000 } },
          },
          handler: async (input: { ms: number }, { signal }) => {
            await sleep(input.ms, undefined, { signal });
            return { slept: input.ms };
          },
        },
        // Throws: with `code`, a coded error; without, a plain Error (→ PLUGIN_CALL_FAILED).
        fail: {
          handler: (input: FailInput) => {
            const message = input.message ?? 'failed as asked';
            if (input.code !== undefined)
              throw new PluginError(input.code, message, { asked: true });
            throw new Error(message);
          },
        },
        // Answers the configuration received on stdin, so tests can see it arrived.
        config: { handler: (_input: unknown, { config }) => ({ config }) },
      },
    },
  ],
});
