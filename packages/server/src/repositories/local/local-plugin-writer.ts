import {
  PlugboardError,
  importManifest,
  importManifestText,
  validateManifest,
  type ImportedManifest,
} from '@plugboard/core';
import type {
  JsonObject,
  MetadataStore,
  PluginImage,
  PluginPatch,
  PluginRecord,
} from '@plugboard/store';
import type { PluginImageVersions } from './plugin-image-versions.js';
import { pluginInputFromManifest } from './plugin-input-from-manifest.js';

/**
 * The providers (seed 004) bound to a plugin, by id: `DELETE /plugins/{name}` refuses while any
 * exist unless forced. Providers are not built yet; their module supplies this when they are.
 */
export type ProvidersUsingPlugin = (
  domainId: string,
  pluginName: string,
) => Promise<readonly string[]>;

/** An image as `PATCH /plugins/{name}` takes it (snake_case, like the API). */
export interface ImageBody {
  readonly image: string;
  readonly registry_type?: string | undefined;
  readonly registry_config?: JsonObject | undefined;
}

/**
 * `PATCH /plugins/{name}`: an absent field is kept, `null` clears an optional one. `manifest`
 * (any importer format) replaces every metadata field at once and must keep the plugin's name.
 */
export interface PluginPatchBody {
  readonly display_name?: string | null;
  readonly description?: string | null;
  readonly type?: string | null;
  readonly providers?: readonly string[];
  readonly labels?: readonly string[];
  readonly capabilities?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
  readonly icon?: string | null;
  readonly enabled?: boolean;
  readonly image?: ImageBody | null;
  readonly manifest?: JsonObject;
}

/** The fields `PATCH /plugins/{name}` accepts. */
export const PATCH_FIELDS: readonly (keyof PluginPatchBody)[] = Object.freeze([
  'display_name',
  'description',
  'type',
  'providers',
  'labels',
  'capabilities',
  'tags',
  'icon',
  'enabled',
  'image',
  'manifest',
]);

/** What a registration stored and what the importer had to say about the input. */
export interface Registration {
  readonly record: PluginRecord;
  readonly format: ImportedManifest['format'];
  readonly warnings: readonly string[];
}

/** Options of `LocalPluginWriter`. */
export interface LocalPluginWriterOptions {
  /** Refuses image plugins whose image has no SemVer tag; without it images are not checked. */
  readonly imageVersions?: PluginImageVersions | undefined;
  /** Without it no provider can use a plugin (providers do not exist yet). */
  readonly providersUsingPlugin?: ProvidersUsingPlugin | undefined;
}

/**
 * Changes to a domain's LOCAL plugins (seed 000's register / update / enable / disable /
 * deregister). Every check runs before anything is stored, so a refusal leaves nothing behind.
 */
export class LocalPluginWriter {
  constructor(
    private readonly store: MetadataStore,
    private readonly options: LocalPluginWriterOptions = {},
  ) {}

  /**
   * Registers a plugin from a manifest of any importer format: YAML/JSON text or a parsed object
   * (SpaceONE: `plugin_id` defaults to the image's base name). `ALREADY_EXISTS` names the plugin.
   */
  async register(domainId: string, body: unknown): Promise<Registration> {
    const imported = importBody(body);
    const input = pluginInputFromManifest(imported.manifest);
    if (input.image !== undefined) await this.options.imageVersions?.requireVersions(input.image);
    const record = await this.store.createPlugin(domainId, input).catch((error: unknown) => {
      if (error instanceof PlugboardError && error.code === 'ALREADY_EXISTS') {
        throw new PlugboardError(
          'ALREADY_EXISTS',
          `plugin "${input.name}" already exists in this domain's LOCAL repository; change it with PATCH /plugins/${input.name}`,
          { cause: error, details: { name: input.name, repository_type: 'LOCAL' } },
        );
      }
      throw error;
    });
    return { record, format: imported.format, warnings: imported.warnings };
  }

  /** Applies a partial update, keeping the stored manifest in step with the changed fields. */
  async patch(domainId: string, name: string, body: PluginPatchBody): Promise<PluginRecord> {
    const unknown = Object.keys(body).filter(
      (key) => !(PATCH_FIELDS as readonly string[]).includes(key),
    );
    if (unknown.length > 0) {
      throw new PlugboardError(
        'INVALID_ARGUMENT',
        `unknown field(s) ${unknown.map((key) => `body.${key}`).join(', ')}; a patch may change ${PATCH_FIELDS.join(', ')}`,
        { details: { field: `body.${unknown[0] ?? ''}` } },
      );
    }
    const current = await this.require(domainId, name);
    const patch =
      body.manifest === undefined ? fieldPatch(current, body) : manifestPatch(current, body);
    const image = patch.image;
    if (image !== undefined && image !== null && image.image !== current.image?.image) {
      await this.options.imageVersions?.requireVersions(image);
    }
    return this.store.updatePlugin(domainId, name, patch);
  }

  /**
   * Deregisters a plugin with its versions and dist-tags. `CONFLICT` while a provider uses it,
   * unless `force`. Artifacts stay in the content-addressed blob store (other versions may share
   * them); collecting unreferenced blobs is the blob store's concern.
   */
  async delete(domainId: string, name: string, force: boolean): Promise<void> {
    await this.require(domainId, name);
    const users = (await this.options.providersUsingPlugin?.(domainId, name)) ?? [];
    if (users.length > 0 && !force) {
      throw new PlugboardError(
        'CONFLICT',
        `plugin "${name}" is used by provider(s) ${users.join(', ')}; delete them first or pass ?force=true`,
        { details: { name, providers: users } },
      );
    }
    await this.store.deletePlugin(domainId, name);
  }

  /** Enables or disables a plugin. */
  async setEnabled(domainId: string, name: string, enabled: boolean): Promise<PluginRecord> {
    return this.store.setPluginEnabled(domainId, name, enabled);
  }

  private async require(domainId: string, name: string): Promise<PluginRecord> {
    const record = await this.store.getPlugin(domainId, name);
    if (record === undefined) {
      throw new PlugboardError('PLUGIN_NOT_FOUND', `no plugin named "${name}"`, {
        details: { name },
      });
    }
    return record;
  }
}

function importBody(body: unknown): ImportedManifest {
  const source = 'request body';
  if (typeof body === 'string') {
    if (body.trim() === '') {
      throw new PlugboardError('INVALID_ARGUMENT', 'the request body is empty; send a manifest', {
        details: { field: 'body' },
      });
    }
    return importManifestText(body, { source });
  }
  return importManifest(body, { source });
}

/** Field changes, mirrored into the stored manifest so the detail never contradicts itself. */
function fieldPatch(current: PluginRecord, body: PluginPatchBody): PluginPatch {
  const manifest: JsonObject = { ...current.manifest };
  const mirror = (key: string, value: unknown): void => {
    if (value === undefined) return;
    if (value === null) delete manifest[key];
    else manifest[key] = value;
  };
  mirror('display_name', body.display_name);
  mirror('description', body.description);
  mirror('type', body.type);
  mirror('providers', body.providers);
  mirror('labels', body.labels);
  mirror('tags', body.tags);
  mirror('icon', body.icon);
  const image = body.image === undefined ? undefined : toPluginImage(body.image);
  if (image === null) {
    const runtime = manifest['runtime'] as JsonObject | undefined;
    if (runtime?.['type'] === 'image') delete manifest['runtime'];
  } else if (image !== undefined) {
    manifest['runtime'] = {
      type: 'image',
      image: image.image,
      ...(image.registryType === undefined ? {} : { registry: image.registryType }),
      ...(image.registryConfig === undefined ? {} : { registry_config: image.registryConfig }),
    };
  }
  validateManifest(manifest, `manifest of plugin "${current.name}" after the patch`);
  return {
    displayName: body.display_name,
    description: body.description,
    type: body.type,
    providers: body.providers,
    labels: body.labels,
    // The store recomputes capabilities from a new manifest unless told; keep the current ones.
    capabilities: body.capabilities ?? current.capabilities,
    tags: body.tags,
    icon: body.icon,
    enabled: body.enabled,
    image,
    manifest,
  };
}

/** A whole new manifest: every metadata field is taken from it; `enabled` may change too. */
function manifestPatch(current: PluginRecord, body: PluginPatchBody): PluginPatch {
  const others = Object.keys(body).filter((key) => key !== 'manifest' && key !== 'enabled');
  if (others.length > 0) {
    throw new PlugboardError(
      'INVALID_ARGUMENT',
      `body.manifest replaces every metadata field; do not send ${others.map((key) => `body.${key}`).join(', ')} with it`,
      { details: { field: `body.${others[0] ?? ''}` } },
    );
  }
  const imported = importManifest(body.manifest, { source: 'body.manifest' });
  const input = pluginInputFromManifest(imported.manifest);
  if (input.name !== current.name) {
    throw new PlugboardError(
      'INVALID_ARGUMENT',
      `body.manifest names plugin "${input.name}", not "${current.name}"; a plugin cannot be renamed`,
      { details: { field: 'body.manifest.name' } },
    );
  }
  return {
    displayName: input.displayName ?? null,
    description: input.description ?? null,
    type: input.type ?? null,
    providers: input.providers ?? [],
    labels: input.labels ?? [],
    capabilities: input.capabilities ?? [],
    tags: input.tags ?? {},
    icon: input.icon ?? null,
    manifest: input.manifest,
    image: input.image ?? null,
    enabled: body.enabled,
  };
}

function toPluginImage(body: ImageBody | null): PluginImage | null {
  if (body === null) return null;
  return {
    image: body.image,
    registryType: body.registry_type,
    registryConfig: body.registry_config,
  };
}
