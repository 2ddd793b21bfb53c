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
 * Everything is exported here: `defineProvider` (also at `@plugboard/sdk/provider`), the schema
 * checker `compileInputSchema` (also at `@plugboard/sdk/schema`) and `runPluginModule` (the
 * `plugboard-plugin` bin). At run time this module is one bundled file (scripts/bundle-runtime.mjs),
 * so a plugin's start reads one file for the whole SDK; only Ajv is loaded later, for schemas the
 * built-in checker does not cover.
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
export {
  defineProvider,
  type ProviderDefinition,
  type CollectOptions,
} from './provider/define-provider.js';
export {
  compileInputSchema,
  describeProblems,
  pointerToDotPath,
  type InputCheck,
  type InputProblem,
} from './input-validator.js';
export { runPluginModule } from './runner/run-plugin-module.js';
