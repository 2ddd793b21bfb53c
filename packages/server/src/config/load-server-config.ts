import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Static } from '@sinclair/typebox';
import {
  PlugboardError,
  compileSchema,
  parseDocument,
  problemsError,
  type Problem,
} from '@plugboard/core';
import { parsePublicKey } from '@plugboard/installer';
import {
  DEFAULT_DATA_DIR,
  DEFAULT_COLLECTION_CONCURRENCY,
  DEFAULT_MAX_PUBLISH_BYTES,
  DEFAULT_PORT,
  ServerConfigSchema,
  type ServerConfig,
} from './server-config.js';
import { expandRemoteTokens } from './expand-remote-tokens.js';

/** Values given on the command line; each overrides file and environment. */
export interface ServerFlags {
  readonly host?: string | undefined;
  readonly port?: string | undefined;
  readonly data?: string | undefined;
  readonly database?: string | undefined;
  readonly managed?: readonly string[] | undefined;
  readonly config?: string | undefined;
}

/**
 * Reads the configuration: defaults → file (`--config`, YAML or JSON) → `PLUGBOARD_*` environment →
 * flags; validated once, reporting every problem with its key, then frozen. Relative paths are
 * resolved against `cwd`. `${VAR}` in a REMOTE's `token` is taken from `env` (`expandRemoteTokens`).
 */
export async function loadServerConfig(
  flags: ServerFlags,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Promise<ServerConfig> {
  const merged: Record<string, unknown> = {
    host: '127.0.0.1',
    port: DEFAULT_PORT,
    data_dir: DEFAULT_DATA_DIR,
    managed: [],
    anonymous_read: true,
    remotes: [],
    max_publish_bytes: DEFAULT_MAX_PUBLISH_BYTES,
    trusted_keys: {},
    log_level: 'info',
    collection_concurrency: DEFAULT_COLLECTION_CONCURRENCY,
  };
  const configFile = flags.config ?? env['PLUGBOARD_CONFIG'];
  if (configFile !== undefined)
    Object.assign(merged, await readConfigFile(resolve(cwd, configFile)));
  assignDefined(merged, {
    host: env['PLUGBOARD_HOST'],
    port: numeric(env['PLUGBOARD_PORT']),
    data_dir: env['PLUGBOARD_DATA'],
    database: env['PLUGBOARD_DATABASE'],
    managed: env['PLUGBOARD_MANAGED']?.split(':').filter((dir) => dir !== ''),
    admin_token: env['PLUGBOARD_ADMIN_TOKEN'],
    admin_password: env['PLUGBOARD_ADMIN_PASSWORD'],
    anonymous_read:
      env['PLUGBOARD_ANONYMOUS_READ'] === undefined
        ? undefined
        : env['PLUGBOARD_ANONYMOUS_READ'] !== 'false',
    log_level: env['PLUGBOARD_LOG_LEVEL'],
    secret_key: env['PLUGBOARD_SECRET_KEY'],
    collection_concurrency: numeric(env['PLUGBOARD_COLLECTION_CONCURRENCY']),
    password_failures_per_minute: numeric(env['PLUGBOARD_PASSWORD_FAILURES_PER_MINUTE']),
  });
  assignDefined(merged, {
    host: flags.host,
    port: numeric(flags.port),
    data_dir: flags.data,
    database: flags.database,
    managed: flags.managed !== undefined && flags.managed.length > 0 ? flags.managed : undefined,
  });
  const dataDir = resolve(cwd, String(merged['data_dir']));
  merged['database'] ??= `sqlite:${join(dataDir, 'plugboard.db')}`;
  // REMOTE tokens may name environment variables instead of holding the secret in the file.
  const tokenProblems: Problem[] = [];
  merged['remotes'] = expandRemoteTokens(merged['remotes'], env, tokenProblems);
  const problems = [...tokenProblems, ...compileSchema(ServerConfigSchema)(merged)];
  if (problems.length > 0) {
    // Secrets never appear in messages: problems name keys and rules, not values.
    throw problemsError('CONFIG_INVALID', 'server configuration is invalid', problems);
  }
  const valid = merged as Static<typeof ServerConfigSchema>;
  return Object.freeze({
    host: valid.host,
    port: valid.port,
    dataDir,
    database: sqlitePathResolved(valid.database, cwd),
    managedDirs: Object.freeze(valid.managed.map((dir) => resolve(cwd, dir))),
    adminToken: valid.admin_token,
    adminPassword: valid.admin_password,
    anonymousRead: valid.anonymous_read,
    remotes: Object.freeze(valid.remotes),
    maxPublishBytes: valid.max_publish_bytes,
    trustedKeys: new Map(
      Object.entries(valid.trusted_keys).map(([id, key]) => [
        id,
        parsePublicKey(key, `trusted key "${id}"`),
      ]),
    ),
    logLevel: valid.log_level,
    secretKey: valid.secret_key,
    collectionConcurrency: valid.collection_concurrency,
    passwordFailuresPerMinute: valid.password_failures_per_minute,
  });
}

async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  const text = await readFile(path, 'utf8').catch((cause: unknown) => {
    throw new PlugboardError('CONFIG_INVALID', `cannot read config file ${path}`, { cause });
  });
  const document = parseDocument(text, { name: path });
  if (document === null) return {};
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new PlugboardError(
      'CONFIG_INVALID',
      `${path}: the config file must be a mapping of keys`,
    );
  }
  return document as Record<string, unknown>;
}

function assignDefined(target: Record<string, unknown>, values: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(values)) if (value !== undefined) target[key] = value;
}

// Keeps a non-number as text so validation names the key instead of silently taking NaN.
function numeric(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return /^\d+$/.test(value) ? Number(value) : value;
}

function sqlitePathResolved(database: string, cwd: string): string {
  if (!database.startsWith('sqlite:') || database === 'sqlite::memory:') return database;
  return `sqlite:${resolve(cwd, database.slice('sqlite:'.length))}`;
}
