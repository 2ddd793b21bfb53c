/**
 * `@plugboard/sdk`: write a plugboard/1 plugin in TypeScript or JavaScript.
 *
 * @example
 * #!/usr/bin/env node
 * import { servePlugin } from '@plugboard/sdk';
 * await servePlugin({
 *   name: 'echo', version: '1.0.0',
 *   capabilities: [{ type: 'echo', endpoints: { echo: { handler: (input) => input } } }],
 * });
 *
 * Providers come from `@plugboard/sdk/provider` (`defineProvider`), the schema checker from
 * `@plugboard/sdk/schema` (`compileInputSchema`). At run time every entry point is a facade of one
 * bundled chunk (scripts/bundle-runtime.mjs), so a plugin's start reads few files; only Ajv is
 * loaded later, for schemas the built-in checker does not cover.
 */
export {
  servePlugin,
  PLUGIN_EXIT_CODES,
  LOG_LEVEL_ENV_VAR,
  type ServePluginOptions,
} from './serve-plugin.js';
export {
  definePlugin,
  checkPluginDefinition,
  type PluginDefinition,
  type CapabilityDefinition,
  type EndpointDefinition,
  type JsonHandler,
  type StreamHandler,
  type HandlerContext,
} from './plugin-definition.js';
export { PluginError, errorToBody, type AbortReason } from './plugin-error.js';
export {
  createJsonLineLogger,
  isLogLevel,
  type PluginLogger,
  type LogLevel,
  type LineSink,
} from './plugin-logger.js';
export { PluginServer, type PluginServerOptions } from './server/plugin-server.js';
