import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from '../kysely/database-tables.js';
import type { ChangeFeed } from '../kysely/metadata-backend.js';
import type { ChangedEntity, PendingChange, StoreChange } from '../metadata/store-change.js';
import type { StoreLogger } from '../store-logger.js';

/** Base name of the notification channel; a schema name is appended so schemas stay apart. */
export const CHANGE_CHANNEL_PREFIX = 'plugboard_changes';

/** First wait before reconnecting the LISTEN connection, in milliseconds; doubles up to the max. */
const RECONNECT_INITIAL_DELAY_MS = 500;
const RECONNECT_MAX_DELAY_MS = 30_000;

const ENTITIES: readonly string[] = [
  'domain',
  'token',
  'plugin',
  'version',
  'dist-tag',
  'repository',
] satisfies ChangedEntity[];
const ACTIONS: readonly string[] = ['created', 'updated', 'deleted'];

/** What travels in a notification: the sending instance and the change. */
interface ChangeNotification {
  readonly origin: string;
  readonly change: PendingChange;
}

/** The channel for a schema (or the default one). */
export function changeChannelName(schema: string | undefined): string {
  return schema === undefined ? CHANGE_CHANNEL_PREFIX : `${CHANGE_CHANNEL_PREFIX}_${schema}`;
}

/**
 * Tells other replicas about writes with `pg_notify` inside the write transaction (PostgreSQL
 * delivers it only on commit) and hears theirs on one dedicated `LISTEN` connection, which is
 * re-opened with backoff when it drops; after a reconnect listeners get a `resync`, since
 * notifications sent meanwhile are lost.
 */
export class PostgresChangeFeed implements ChangeFeed {
  readonly #clientConfig: pg.ClientConfig;
  readonly #channel: string;
  readonly #logger: StoreLogger;
  readonly #origin = randomUUID();
  #deliver: ((change: StoreChange) => void) | undefined;
  #client: pg.Client | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #reconnectDelayMs = RECONNECT_INITIAL_DELAY_MS;
  #stopped = false;

  constructor(clientConfig: pg.ClientConfig, channel: string, logger: StoreLogger) {
    this.#clientConfig = clientConfig;
    this.#channel = channel;
    this.#logger = logger;
  }

  async announce(trx: Transaction<Database>, changes: readonly PendingChange[]): Promise<void> {
    for (const change of changes) {
      const payload: ChangeNotification = { origin: this.#origin, change };
      await sql`select pg_notify(${this.#channel}, ${JSON.stringify(payload)})`.execute(trx);
    }
  }

  async start(deliver: (change: StoreChange) => void): Promise<void> {
    this.#deliver = deliver;
    await this.#listen();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end();
  }

  async #listen(): Promise<void> {
    const client = new pg.Client(this.#clientConfig);
    client.on('notification', (message) => this.#receive(message));
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, undefined));
    try {
      await client.connect();
      await client.query(`LISTEN "${this.#channel}"`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#stopped) {
      // stop() ran while this (re)connect was in flight: nobody will end this client later.
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
  }

  #lost(client: pg.Client, error: Error | undefined): void {
    if (this.#stopped || this.#client !== client) return;
    this.#client = undefined;
    client.end().catch(() => undefined);
    this.#logger.warn({ err: error }, 'metadata store: lost the PostgreSQL LISTEN connection');
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#stopped) return;
    const delay = this.#reconnectDelayMs;
    this.#reconnectDelayMs = Math.min(delay * 2, RECONNECT_MAX_DELAY_MS);
    this.#reconnectTimer = setTimeout(() => {
      this.#listen().then(
        () => {
          this.#reconnectDelayMs = RECONNECT_INITIAL_DELAY_MS;
          this.#logger.info({}, 'metadata store: LISTEN connection re-established');
          if (this.#stopped) return;
          this.#deliver?.({ entity: 'all', action: 'resync', local: false });
        },
        (error: unknown) => {
          this.#logger.warn(
            { err: error, delayMs: delay },
            'metadata store: LISTEN reconnect failed',
          );
          this.#scheduleReconnect();
        },
      );
    }, delay);
    this.#reconnectTimer.unref();
  }

  #receive(message: pg.Notification): void {
    if (message.channel !== this.#channel || message.payload === undefined) return;
    const notification = parseNotification(message.payload);
    if (notification === undefined) {
      this.#logger.warn(
        { channel: message.channel },
        'metadata store: ignored a malformed notification',
      );
      return;
    }
    // This instance already emitted its own changes right after commit.
    if (notification.origin === this.#origin) return;
    this.#deliver?.({ ...notification.change, local: false });
  }
}

function parseNotification(payload: string): ChangeNotification | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { origin, change } = value as { origin?: unknown; change?: unknown };
  if (typeof origin !== 'string' || typeof change !== 'object' || change === null) return undefined;
  const { entity, action, domainId, key, version, tag } = change as Record<string, unknown>;
  if (
    typeof entity !== 'string' ||
    !ENTITIES.includes(entity) ||
    typeof action !== 'string' ||
    !ACTIONS.includes(action) ||
    typeof domainId !== 'string' ||
    typeof key !== 'string'
  ) {
    return undefined;
  }
  return {
    origin,
    change: {
      entity: entity as ChangedEntity,
      action: action as PendingChange['action'],
      domainId,
      key,
      version: typeof version === 'string' ? version : undefined,
      tag: typeof tag === 'string' ? tag : undefined,
    },
  };
}
