import { randomUUID } from 'node:crypto';
import { PlugboardError, isPlugboardError, problemsError } from '@plugboard/core';
import type { ProviderConnection } from '@plugboard/protocol';
import type { CollectionRunRecord, ProviderRecord, ProviderStore } from '@plugboard/store';
import { SECRET_MASK, splitConnectionConfig } from './connection-config.js';
import type { ProviderPluginRegistry } from './provider-plugin-registry.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { SecretRedactor } from './secret-redactor.js';

/** The fields of a provider as the API takes them (snake_case). */
export interface ProviderBody {
  readonly name?: string;
  readonly infrastructure?: string | null;
  readonly vendor?: string;
  readonly provider_type?: string;
  readonly endpoint?: string | null;
  readonly organization?: string | number | null;
  readonly connection_config?: Record<string, unknown>;
  readonly enabled?: boolean;
}

/** A stored provider and what the caller should know about the request. */
export interface ProviderResult {
  readonly record: ProviderRecord;
  readonly warnings: readonly string[];
}

/** The result of `validate_connection` for one provider. */
export interface ConnectionTestResult {
  readonly provider_id: string;
  readonly name: string;
  readonly ok: boolean;
  readonly message?: string;
  readonly error?: { readonly code: string; readonly message: string };
}

/** Something that runs queued collection runs sooner when told a run was queued. */
export interface RunQueueListener {
  wake(): void;
  /** A run was asked to stop: look at it now rather than at its next heartbeat. */
  cancelRequested?(runId: string): void;
}

/**
 * What the provider routes do beyond HTTP: checks connection configs against the plugin's
 * connection parameters, keeps secret parameters encrypted (bound to the provider id), queues
 * collection runs and tests connections. Secrets leave it only as the connection handed to a
 * plugin.
 */
export class ProviderService {
  readonly store: ProviderStore;
  readonly plugins: ProviderPluginRegistry;
  readonly #secrets: SecretBox;
  readonly #redactor: SecretRedactor;
  #queue: RunQueueListener | undefined;

  /** `redactor` learns every secret handed to a plugin (give the same one to the plugins' logger). */
  constructor(
    store: ProviderStore,
    plugins: ProviderPluginRegistry,
    secrets: SecretBox,
    redactor = new SecretRedactor(),
  ) {
    this.store = store;
    this.plugins = plugins;
    this.#secrets = secrets;
    this.#redactor = redactor;
  }

  /** Tells `listener` about every run queued from now on. */
  onRunQueued(listener: RunQueueListener): void {
    this.#queue = listener;
  }

  /** Creates a provider; `INVALID_ARGUMENT` when its config does not fit the plugin. */
  async create(domainId: string, body: ProviderBody): Promise<ProviderResult> {
    const vendor = requiredText(body.vendor, 'vendor');
    const providerType = requiredText(body.provider_type, 'provider_type');
    const name = requiredText(body.name, 'name');
    const id = randomUUID();
    const split = this.#split(vendor, providerType, body.connection_config ?? {}, {});
    const record = await this.store.createProvider(domainId, {
      id,
      name,
      vendor,
      providerType,
      infrastructure: body.infrastructure ?? undefined,
      endpoint: body.endpoint ?? undefined,
      organization: organizationText(body.organization),
      config: split.config,
      secretKeys: Object.keys(split.secrets),
      secretsCiphertext: this.#seal(split.secrets, id),
      enabled: body.enabled ?? true,
    });
    return { record, warnings: split.warnings };
  }

  /**
   * Changes a provider. A `connection_config` replaces the stored one (secrets sent as the mask
   * keep their values); a new vendor or type re-checks the stored config against that plugin.
   */
  async update(domainId: string, id: string, body: ProviderBody): Promise<ProviderResult> {
    const existing = await this.get(domainId, id);
    const vendor =
      body.vendor === undefined ? existing.vendor : requiredText(body.vendor, 'vendor');
    const providerType =
      body.provider_type === undefined
        ? existing.providerType
        : requiredText(body.provider_type, 'provider_type');
    const previous = this.#openSecrets(existing);
    const given = body.connection_config ?? {
      ...existing.config,
      ...Object.fromEntries(existing.secretKeys.map((key) => [key, SECRET_MASK])),
    };
    const split = this.#split(vendor, providerType, given, previous);
    const record = await this.store.updateProvider(domainId, id, {
      ...(body.name === undefined ? {} : { name: requiredText(body.name, 'name') }),
      vendor,
      providerType,
      ...(body.infrastructure === undefined ? {} : { infrastructure: body.infrastructure }),
      ...(body.endpoint === undefined ? {} : { endpoint: body.endpoint }),
      ...(body.organization === undefined
        ? {}
        : { organization: organizationText(body.organization) ?? null }),
      ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
      config: split.config,
      secretKeys: Object.keys(split.secrets),
      secretsCiphertext: this.#seal(split.secrets, id) ?? null,
    });
    return { record, warnings: split.warnings };
  }

  /** A provider of the domain; `NOT_FOUND` when absent. */
  async get(domainId: string, id: string): Promise<ProviderRecord> {
    const record = await this.store.getProvider(domainId, id);
    if (record === undefined) {
      throw new PlugboardError('NOT_FOUND', `no provider "${id}"`, { details: { providerId: id } });
    }
    return record;
  }

  /** The connection a plugin receives: endpoint and the whole config, secrets decrypted. */
  connectionOf(record: ProviderRecord): ProviderConnection {
    const secrets = this.#openSecrets(record);
    this.#redactor.remember(Object.values(secrets));
    return {
      ...(record.endpoint === undefined ? {} : { endpoint: record.endpoint }),
      config: { ...record.config, ...secrets },
    };
  }

  /**
   * Replaces every secret value of the provider found in `text` by the mask: a plugin's error
   * message may quote what it was given, and such messages are stored and logged.
   */
  redactSecrets(record: ProviderRecord, text: string): string {
    this.#redactor.remember(Object.values(this.#openSecrets(record)));
    return this.#redactor.redact(text);
  }

  /**
   * Queues a collection run (202 material): `CONFLICT` when the provider is disabled or already
   * has a pending or running run.
   */
  async collect(
    domainId: string,
    id: string,
    options: { resourceTypes?: readonly string[] | undefined; requestedBy?: string | undefined },
  ): Promise<CollectionRunRecord> {
    const provider = await this.get(domainId, id);
    if (!provider.enabled) {
      throw new PlugboardError(
        'CONFLICT',
        `provider "${provider.name}" is disabled; enable it before collecting`,
        { details: { providerId: id } },
      );
    }
    const plugin = this.plugins.get(`${provider.vendor}:${provider.providerType}`);
    const unknown = (options.resourceTypes ?? []).filter(
      (type) =>
        plugin !== undefined &&
        plugin.resourceTypes.length > 0 &&
        !plugin.resourceTypes.includes(type),
    );
    if (plugin !== undefined && unknown.length > 0) {
      throw problemsError(
        'INVALID_ARGUMENT',
        `provider plugin "${plugin.key}" does not collect ${unknown.map((t) => `"${t}"`).join(', ')}`,
        unknown.map((type) => ({
          path: `body.resource_types[${(options.resourceTypes ?? []).indexOf(type)}]`,
          message: `must be one of ${plugin.resourceTypes.join(', ')}`,
        })),
      );
    }
    const run = await this.store.createRun(domainId, id, options);
    this.#queue?.wake();
    return run;
  }

  /** Cancels a run (a pending one at once); `CONFLICT` when it already ended. */
  async cancel(domainId: string, runId: string): Promise<CollectionRunRecord> {
    const run = await this.store.cancelRun(domainId, runId);
    if (run.state === 'running') this.#queue?.cancelRequested?.(runId);
    return run;
  }

  /** `validate_connection` for each enabled provider of the domain bound to `key`. */
  async testConnections(domainId: string, key: string): Promise<ConnectionTestResult[]> {
    const plugin = this.plugins.get(key);
    if (plugin === undefined) {
      throw new PlugboardError('PLUGIN_NOT_FOUND', `no provider plugin "${key}" is installed`, {
        details: { key },
      });
    }
    const providers = await this.store.listProvidersOfPlugin(
      plugin.vendor,
      plugin.providerType,
      domainId,
    );
    const results: ConnectionTestResult[] = [];
    for (const provider of providers.filter((p) => p.enabled)) {
      const lease = this.plugins.acquire(key);
      try {
        const answer = (await lease.provider.call('validate_connection', {
          connection: this.connectionOf(provider),
        })) as { ok?: unknown; message?: unknown };
        results.push({
          provider_id: provider.id,
          name: provider.name,
          ok: answer.ok === true,
          ...(typeof answer.message === 'string' ? { message: answer.message } : {}),
        });
      } catch (error) {
        const failure = isPlugboardError(error)
          ? { code: error.code, message: this.redactSecrets(provider, error.message) }
          : { code: 'INTERNAL', message: 'the connection test failed' };
        results.push({ provider_id: provider.id, name: provider.name, ok: false, error: failure });
      } finally {
        lease.release();
      }
    }
    return results;
  }

  #split(
    vendor: string,
    providerType: string,
    given: Record<string, unknown>,
    previous: Record<string, unknown>,
  ) {
    const key = `${vendor}:${providerType}`;
    const plugin = this.plugins.get(key);
    const split = splitConnectionConfig(
      given,
      plugin?.connectionParameters,
      previous,
      `provider plugin "${key}"`,
    );
    if (plugin === undefined) {
      return {
        ...split,
        warnings: [
          ...split.warnings,
          `no provider plugin "${key}" is installed: connection_config was not checked, and collection runs fail until one is uploaded`,
        ],
      };
    }
    return split;
  }

  #seal(secrets: Record<string, unknown>, providerId: string): string | undefined {
    return Object.keys(secrets).length === 0 ? undefined : this.#secrets.seal(secrets, providerId);
  }

  #openSecrets(record: ProviderRecord): Record<string, unknown> {
    if (record.secretsCiphertext === undefined) return {};
    return this.#secrets.open(record.secretsCiphertext, record.id) as Record<string, unknown>;
  }
}

function requiredText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new PlugboardError('INVALID_ARGUMENT', `${field} must be a non-empty string`, {
      details: { problems: [{ path: field, message: 'must be a non-empty string' }] },
    });
  }
  return value;
}

function organizationText(value: string | number | null | undefined): string | undefined {
  return value === undefined || value === null ? undefined : JSON.stringify(value);
}
