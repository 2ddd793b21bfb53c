import { randomBytes } from 'node:crypto';
import { PlugboardError } from '@plugboard/core';
import { sql } from 'kysely';
import type { ApiToken, CreateTokenInput, CreatedToken } from '../metadata/api-token-record.js';
import type { CreateDomainInput, Domain } from '../metadata/domain-record.js';
import type { MetadataBackendName, MetadataStore } from '../metadata/metadata-store.js';
import type { PluginPage, PluginQuery } from '../metadata/plugin-query.js';
import type { PluginInput, PluginPatch, PluginRecord } from '../metadata/plugin-record.js';
import {
  toPublicRepository,
  type ClearRepositoryToken,
  type CreateRepositoryInput,
  type RemoteRepository,
  type RemoteRepositoryConnection,
} from '../metadata/repository-record.js';
import type { ChangeListener } from '../metadata/store-change.js';
import {
  assertDomainId,
  assertPluginName,
  normalizePluginQuery,
} from '../metadata/validate-store-input.js';
import type {
  PublishResult,
  PublishVersionInput,
  VersionRecord,
} from '../metadata/version-record.js';
import { SILENT_STORE_LOGGER, type StoreLogger } from '../store-logger.js';
import { insertDomain, selectDomain, selectDomains } from './domain-queries.js';
import type { MetadataBackend } from './metadata-backend.js';
import { listPluginPage } from './plugin-list-query.js';
import {
  deletePluginRow,
  insertPlugin,
  patchPluginRow,
  selectPluginRow,
  upsertPluginRow,
} from './plugin-queries.js';
import {
  deleteRepositoryRow,
  insertRepository,
  sealRepositoryTokenRow,
  selectClearRepositoryTokens,
  selectRepositoryConnection,
  selectRepositoryConnections,
} from './repository-queries.js';
import { ensureRegistryId } from './registry-settings-queries.js';
import { toPluginRecord } from './row-mapping.js';
import { insertToken, revokeTokenRow, selectActiveToken, selectTokens } from './token-queries.js';
import { runMigrations } from './run-migrations.js';
import { StoreRunner } from './store-runner.js';
import {
  deleteDistTagRow,
  insertVersion,
  selectDistTags,
  selectReferencedDigests,
  selectVersion,
  selectVersions,
  updateVersionState,
  upsertDistTag,
} from './version-queries.js';

/** Options shared by every backend's `open…MetadataStore`. */
export interface MetadataStoreOptions {
  readonly logger?: StoreLogger | undefined;
  /** The clock; tests pass one that advances predictably. */
  readonly now?: (() => Date) | undefined;
}

/**
 * `MetadataStore` over Kysely: every query is written once here and in the `*-queries.ts` files;
 * the backend supplies the dialect, error classification and change feed.
 */
export class KyselyMetadataStore implements MetadataStore {
  readonly backend: MetadataBackendName;
  readonly #parts: MetadataBackend;
  readonly #logger: StoreLogger;
  readonly #runner: StoreRunner;

  private constructor(parts: MetadataBackend, options: MetadataStoreOptions) {
    this.backend = parts.name;
    this.#parts = parts;
    this.#logger = options.logger ?? SILENT_STORE_LOGGER;
    this.#runner = new StoreRunner(parts, this.#logger, options.now ?? (() => new Date()));
  }

  /** Migrates the database and starts the change feed; closes everything if either fails. */
  static async open(
    parts: MetadataBackend,
    options: MetadataStoreOptions = {},
  ): Promise<KyselyMetadataStore> {
    const store = new KyselyMetadataStore(parts, options);
    const runner = store.#runner;
    try {
      await store.migrate();
      await runner.run('start change feed', () =>
        parts.changeFeed.start((change) => runner.emit(change)),
      );
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  async migrate(): Promise<string[]> {
    return this.#runner.run('migrate', () => runMigrations(this.#parts, this.#logger));
  }

  async ping(): Promise<void> {
    await this.#runner.read('ping', (db) => sql`select 1`.execute(db));
  }

  async close(): Promise<void> {
    await this.#runner.close();
  }

  onChange(listener: ChangeListener): () => void {
    return this.#runner.onChange(listener);
  }

  // --- domains ---

  async createDomain(input: CreateDomainInput): Promise<Domain> {
    const generatedId = `domain-${randomBytes(6).toString('hex')}`;
    return this.#runner.write('create domain', (c) => insertDomain(c, input, generatedId), {
      onUniqueViolation: () =>
        new PlugboardError('ALREADY_EXISTS', `domain "${input.id ?? generatedId}" already exists`, {
          details: { id: input.id ?? generatedId },
        }),
    });
  }

  async getDomain(id: string): Promise<Domain | undefined> {
    return this.#runner.read('get domain', (db) => selectDomain(db, id));
  }

  async listDomains(): Promise<Domain[]> {
    return this.#runner.read('list domains', (db) => selectDomains(db));
  }

  // --- tokens ---

  async createToken(input: CreateTokenInput): Promise<CreatedToken> {
    return this.#runner.write('create token', (c) => insertToken(c, input), {
      onUniqueViolation: () =>
        new PlugboardError('ALREADY_EXISTS', 'a token with this secret already exists'),
      onForeignKeyViolation: () => domainNotFound(input.domainId),
    });
  }

  async findTokenByHash(secretHash: string): Promise<ApiToken | undefined> {
    return this.#runner.read('find token', (db) =>
      selectActiveToken(db, secretHash, this.#runner.now()),
    );
  }

  async listTokens(domainId: string): Promise<ApiToken[]> {
    return this.#runner.read('list tokens', (db) => selectTokens(db, domainId));
  }

  async revokeToken(domainId: string, tokenId: string): Promise<ApiToken> {
    return this.#runner.write('revoke token', (c) => revokeTokenRow(c, domainId, tokenId));
  }

  // --- plugins ---

  async createPlugin(domainId: string, input: PluginInput): Promise<PluginRecord> {
    assertDomainId(domainId);
    return this.#runner.write('create plugin', (c) => insertPlugin(c, domainId, input), {
      onUniqueViolation: () =>
        new PlugboardError(
          'ALREADY_EXISTS',
          `domain "${domainId}" already has a plugin "${input.name}"`,
          { details: { domainId, name: input.name } },
        ),
      onForeignKeyViolation: () => domainNotFound(domainId),
    });
  }

  async upsertPlugin(domainId: string, input: PluginInput): Promise<PluginRecord> {
    assertDomainId(domainId);
    return this.#runner.write('upsert plugin', (c) => upsertPluginRow(c, domainId, input), {
      onForeignKeyViolation: () => domainNotFound(domainId),
    });
  }

  async updatePlugin(domainId: string, name: string, patch: PluginPatch): Promise<PluginRecord> {
    return this.#runner.write('update plugin', (c) => patchPluginRow(c, domainId, name, patch));
  }

  async getPlugin(domainId: string, name: string): Promise<PluginRecord | undefined> {
    return this.#runner.read('get plugin', async (db) => {
      const row = await selectPluginRow(db, domainId, name);
      return row === undefined ? undefined : toPluginRecord(row);
    });
  }

  async deletePlugin(domainId: string, name: string): Promise<void> {
    await this.#runner.write('delete plugin', (c) => deletePluginRow(c, domainId, name));
  }

  async setPluginEnabled(domainId: string, name: string, enabled: boolean): Promise<PluginRecord> {
    const operation = enabled ? 'enable plugin' : 'disable plugin';
    return this.#runner.write(operation, (c) => patchPluginRow(c, domainId, name, { enabled }));
  }

  async listPlugins(domainId: string, query?: PluginQuery): Promise<PluginPage> {
    const normalized = normalizePluginQuery(query);
    return this.#runner.read('list plugins', (db) => listPluginPage(db, domainId, normalized));
  }

  // --- versions ---

  async publishVersion(domainId: string, input: PublishVersionInput): Promise<PublishResult> {
    assertDomainId(domainId);
    return this.#runner.write('publish version', (c) => insertVersion(c, domainId, input), {
      onUniqueViolation: () =>
        new PlugboardError(
          'ALREADY_EXISTS',
          `version ${input.version} of plugin "${input.plugin.name}" already exists`,
          { details: { domainId, name: input.plugin.name, version: input.version } },
        ),
      onForeignKeyViolation: () => domainNotFound(domainId),
    });
  }

  async listVersions(domainId: string, name: string): Promise<VersionRecord[]> {
    return this.#runner.read('list versions', (db) => selectVersions(db, domainId, name));
  }

  async getVersion(
    domainId: string,
    name: string,
    version: string,
  ): Promise<VersionRecord | undefined> {
    return this.#runner.read('get version', (db) => selectVersion(db, domainId, name, version));
  }

  async yankVersion(
    domainId: string,
    name: string,
    version: string,
    reason?: string,
  ): Promise<VersionRecord> {
    return this.#runner.write('yank version', (c) =>
      updateVersionState(c, domainId, name, version, {
        yanked_at: c.now,
        yank_reason: reason === undefined || reason === '' ? null : reason,
      }),
    );
  }

  async unyankVersion(domainId: string, name: string, version: string): Promise<VersionRecord> {
    return this.#runner.write('unyank version', (c) =>
      updateVersionState(c, domainId, name, version, { yanked_at: null, yank_reason: null }),
    );
  }

  async deprecateVersion(
    domainId: string,
    name: string,
    version: string,
    message: string,
  ): Promise<VersionRecord> {
    return this.#runner.write('deprecate version', (c) =>
      updateVersionState(c, domainId, name, version, {
        deprecation_message: message === '' ? null : message,
      }),
    );
  }

  async getDistTags(domainId: string, name: string): Promise<Record<string, string>> {
    return this.#runner.read('get dist-tags', (db) => selectDistTags(db, domainId, name));
  }

  async setDistTag(domainId: string, name: string, tag: string, version: string): Promise<void> {
    assertPluginName(name);
    await this.#runner.write('set dist-tag', (c) => upsertDistTag(c, domainId, name, tag, version));
  }

  async deleteDistTag(domainId: string, name: string, tag: string): Promise<void> {
    await this.#runner.write('delete dist-tag', (c) => deleteDistTagRow(c, domainId, name, tag));
  }

  // --- repositories ---

  async createRepository(
    domainId: string,
    input: CreateRepositoryInput,
  ): Promise<RemoteRepository> {
    assertDomainId(domainId);
    return this.#runner.write('create repository', (c) => insertRepository(c, domainId, input), {
      onUniqueViolation: () =>
        new PlugboardError(
          'ALREADY_EXISTS',
          `domain "${domainId}" already has a repository named "${input.name}"`,
          { details: { domainId, name: input.name } },
        ),
      onForeignKeyViolation: () => domainNotFound(domainId),
    });
  }

  async listRepositories(domainId: string): Promise<RemoteRepository[]> {
    const connections = await this.listRepositoryConnections(domainId);
    return connections.map((connection) => toPublicRepository(connection));
  }

  async listRepositoryConnections(domainId: string): Promise<RemoteRepositoryConnection[]> {
    return this.#runner.read('list repositories', (db) =>
      selectRepositoryConnections(db, domainId),
    );
  }

  async getRepository(domainId: string, id: string): Promise<RemoteRepository | undefined> {
    const connection = await this.getRepositoryConnection(domainId, id);
    return connection === undefined ? undefined : toPublicRepository(connection);
  }

  async getRepositoryConnection(
    domainId: string,
    id: string,
  ): Promise<RemoteRepositoryConnection | undefined> {
    return this.#runner.read('get repository', (db) =>
      selectRepositoryConnection(db, domainId, id),
    );
  }

  async deleteRepository(domainId: string, id: string): Promise<void> {
    await this.#runner.write('delete repository', (c) => deleteRepositoryRow(c, domainId, id));
  }

  async sealRepositoryTokens(seal: (clear: ClearRepositoryToken) => string): Promise<number> {
    const clearRows = await this.#runner.read('list clear repository tokens', (db) =>
      selectClearRepositoryTokens(db),
    );
    let sealed = 0;
    for (const clear of clearRows) {
      const text = seal(clear);
      const done = await this.#runner.write('seal repository token', (c) =>
        sealRepositoryTokenRow(c, clear, text),
      );
      if (done) sealed += 1;
    }
    return sealed;
  }

  // --- registry ---

  async registryId(): Promise<string> {
    return this.#runner.read('read registry id', (db) => ensureRegistryId(db));
  }

  async referencedDigests(digests: readonly string[]): Promise<Set<string>> {
    return this.#runner.read('find referenced digests', (db) =>
      selectReferencedDigests(db, digests),
    );
  }
}

function domainNotFound(domainId: string): PlugboardError {
  return new PlugboardError('NOT_FOUND', `domain "${domainId}" does not exist`, {
    details: { domainId },
  });
}
