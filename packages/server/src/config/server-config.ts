import type { KeyObject } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';

/** Default TCP port of `plugboard serve`. */
export const DEFAULT_PORT = 7400;
/** Default data directory (SQLite database and blobs), relative to the working directory. */
export const DEFAULT_DATA_DIR = './plugboard-data';
/** Largest publish body accepted by default: 100 MiB. */
export const DEFAULT_MAX_PUBLISH_BYTES = 100 * 1024 * 1024;
/** Collection runs one replica executes at once by default. */
export const DEFAULT_COLLECTION_CONCURRENCY = 2;

const RemoteConfigSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    endpoint: Type.String({
      pattern: '^https?://',
      description: 'an http(s) URL ending in /api/v1',
    }),
    token: Type.Optional(Type.String()),
    priority: Type.Optional(Type.Integer({ minimum: 0 })),
    timeout_ms: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

/** The server's configuration after defaults, file, `PLUGBOARD_*` environment and flags. */
export const ServerConfigSchema = Type.Object(
  {
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 0, maximum: 65535 }),
    data_dir: Type.String({ minLength: 1 }),
    database: Type.String({
      pattern: '^(sqlite:|postgres://|postgresql://)',
      description: 'sqlite:PATH or postgres://…',
    }),
    managed: Type.Array(Type.String({ minLength: 1 })),
    admin_token: Type.Optional(
      Type.String({ minLength: 16, description: 'a token of at least 16 characters' }),
    ),
    admin_password: Type.Optional(
      Type.String({ minLength: 8, description: 'a password of at least 8 characters' }),
    ),
    anonymous_read: Type.Boolean({
      description: 'let requests without credentials read MANAGED plugins',
    }),
    remotes: Type.Array(RemoteConfigSchema),
    max_publish_bytes: Type.Integer({ minimum: 1024 }),
    secret_key: Type.Optional(
      Type.String({
        minLength: 16,
        description:
          'key encrypting providers’ secret parameters: 64 hex digits, base64 of 32 bytes, or a passphrase; generated into the data folder when absent',
      }),
    ),
    collection_concurrency: Type.Integer({
      minimum: 0,
      maximum: 64,
      description: 'collection runs this replica executes at once; 0 runs none here',
    }),
    trusted_keys: Type.Record(Type.String({ minLength: 1 }), Type.String({ minLength: 1 }), {
      description:
        'Ed25519 public keys (PEM or base64 of 32 bytes) by key id; when set, publish signatures must verify',
    }),
    password_failures_per_minute: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          'wrong HTTP Basic passwords a client address may send per minute before it gets 429 for the rest of that minute; 0: no limit',
      }),
    ),
    log_level: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    ),
  },
  { additionalProperties: false },
);

/** A REMOTE repository given in the config file (others are added through the API). */
export type RemoteConfig = Static<typeof RemoteConfigSchema>;

/** Validated, frozen server configuration (snake_case, as in the config file). */
export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly database: string;
  readonly managedDirs: readonly string[];
  readonly adminToken: string | undefined;
  readonly adminPassword: string | undefined;
  readonly anonymousRead: boolean;
  readonly remotes: readonly RemoteConfig[];
  readonly maxPublishBytes: number;
  /** Encrypts providers' secret parameters; undefined → `<dataDir>/secret.key`. Never logged. */
  readonly secretKey?: string | undefined;
  /** Collection runs this replica executes at once; 0 runs none. */
  readonly collectionConcurrency?: number | undefined;
  /** Keys a published signature must verify against, by key id; empty: signatures stored as sent. */
  readonly trustedKeys: ReadonlyMap<string, KeyObject>;
  readonly logLevel: Static<typeof ServerConfigSchema>['log_level'];
  /** Wrong Basic passwords per client address and minute before 429; undefined: the default (30). */
  readonly passwordFailuresPerMinute?: number | undefined;
}
