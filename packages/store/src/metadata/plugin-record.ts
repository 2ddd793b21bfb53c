/** A JSON object as stored: manifests, tags and registry configs round-trip through JSON. */
export type JsonObject = Record<string, unknown>;

/** Where an image plugin's versions come from (seeds 000 and 002): an OCI image and its registry. */
export interface PluginImage {
  /** Image name, e.g. `cloudforet/plugin-aws-ec2-inven-collector`. */
  readonly image: string;
  /** Registry kind or host, e.g. `DOCKER_HUB` or `registry.example.com`. */
  readonly registryType?: string | undefined;
  /** Registry settings other than credentials (the server keeps secrets elsewhere). */
  readonly registryConfig?: JsonObject | undefined;
}

/** The metadata record of one LOCAL plugin in one domain. */
export interface PluginRecord {
  readonly domainId: string;
  readonly name: string;
  readonly displayName: string | undefined;
  readonly description: string | undefined;
  /** Plugin type, e.g. `inventory.Collector`. */
  readonly type: string | undefined;
  readonly providers: readonly string[];
  readonly labels: readonly string[];
  /** Capability types the plugin offers (what the `capability` filter matches). */
  readonly capabilities: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly icon: string | undefined;
  /** The manifest the record was made from (native form). */
  readonly manifest: JsonObject;
  readonly enabled: boolean;
  readonly image: PluginImage | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What `createPlugin`, `upsertPlugin` and `publishVersion` store about a plugin. */
export interface PluginInput {
  readonly name: string;
  readonly displayName?: string | undefined;
  readonly description?: string | undefined;
  readonly type?: string | undefined;
  readonly providers?: readonly string[] | undefined;
  readonly labels?: readonly string[] | undefined;
  /** Capability types; taken from `manifest.capabilities[].type` when absent. */
  readonly capabilities?: readonly string[] | undefined;
  readonly tags?: Readonly<Record<string, string>> | undefined;
  readonly icon?: string | undefined;
  readonly manifest: JsonObject;
  /** Defaults to `true` for a new plugin; an update keeps the current state when absent. */
  readonly enabled?: boolean | undefined;
  readonly image?: PluginImage | undefined;
}

/**
 * A partial update (`PATCH /plugins/{name}`): an absent field is kept, `null` clears an optional one.
 */
export interface PluginPatch {
  readonly displayName?: string | null;
  readonly description?: string | null;
  readonly type?: string | null;
  readonly providers?: readonly string[];
  readonly labels?: readonly string[];
  readonly capabilities?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
  readonly icon?: string | null;
  readonly manifest?: JsonObject;
  readonly enabled?: boolean;
  readonly image?: PluginImage | null;
}

/** Capability types declared by a manifest's `capabilities[].type`, without duplicates. */
export function capabilityTypesOf(manifest: JsonObject): string[] {
  const capabilities = manifest['capabilities'];
  if (!Array.isArray(capabilities)) return [];
  const types = new Set<string>();
  for (const capability of capabilities as unknown[]) {
    if (typeof capability !== 'object' || capability === null) continue;
    const type = (capability as JsonObject)['type'];
    if (typeof type === 'string' && type !== '') types.add(type);
  }
  return [...types];
}
