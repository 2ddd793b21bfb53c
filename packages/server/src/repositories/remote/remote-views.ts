import type {
  PluginDetail,
  PluginSummary,
  RepositoryRef,
  VersionView,
} from '../../catalog/plugin-view.js';

/**
 * Turns what a remote server answered into this server's views. A remote is another party: every
 * field is checked and copied one by one (nothing unknown passes through), and the remote's own
 * repository marks are replaced by this REMOTE repository's, so clients see where the plugin came
 * from as far as this server is concerned.
 */

/** A plugin summary from a remote's list, or undefined when it has no usable name. */
export function remoteSummary(raw: unknown, repository: RepositoryRef): PluginSummary | undefined {
  if (!isRecord(raw)) return undefined;
  const name = text(raw['name']);
  if (name === undefined || name === '') return undefined;
  const enabled = raw['enabled'] !== false && raw['state'] !== 'disabled';
  const image = isRecord(raw['image']) ? raw['image'] : undefined;
  const imageName = text(image?.['image']);
  return {
    name,
    display_name: text(raw['display_name']),
    description: text(raw['description']),
    type: text(raw['type']),
    providers: texts(raw['providers']),
    labels: texts(raw['labels']),
    capabilities: texts(raw['capabilities']),
    tags: textRecord(raw['tags']),
    icon: text(raw['icon']),
    enabled,
    state: enabled ? 'enabled' : 'disabled',
    repository_type: 'REMOTE',
    repository,
    latest_version: text(raw['latest_version']),
    deprecated: raw['deprecated'] === true,
    signed: raw['signed'] === true,
    image:
      imageName === undefined
        ? undefined
        : { image: imageName, registry_type: text(image?.['registry_type']) },
    created_at: text(raw['created_at']),
    updated_at: text(raw['updated_at']),
  };
}

/** A plugin detail from a remote, or undefined when it has no usable name. */
export function remoteDetail(raw: unknown, repository: RepositoryRef): PluginDetail | undefined {
  const summary = remoteSummary(raw, repository);
  if (summary === undefined || !isRecord(raw)) return undefined;
  const versions = Array.isArray(raw['versions']) ? raw['versions'] : [];
  return {
    ...summary,
    versions: versions.flatMap((version) => {
      const view = remoteVersion(version);
      return view === undefined ? [] : [view];
    }),
    dist_tags: textRecord(raw['dist_tags']),
    manifest: isRecord(raw['manifest']) ? raw['manifest'] : {},
  };
}

/** One version from a remote, or undefined without a version string. */
export function remoteVersion(raw: unknown): VersionView | undefined {
  if (!isRecord(raw)) return undefined;
  const version = text(raw['version']);
  if (version === undefined || version === '') return undefined;
  const size = raw['size'];
  const signatures = Array.isArray(raw['signatures']) ? raw['signatures'] : [];
  return {
    version,
    published: text(raw['published']),
    yanked: raw['yanked'] === true,
    yank_reason: text(raw['yank_reason']),
    deprecated: text(raw['deprecated']),
    digest: text(raw['digest']),
    size: typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 ? size : undefined,
    signatures: signatures.flatMap((signature) => {
      if (!isRecord(signature)) return [];
      const keyId = text(signature['key_id']);
      const value = text(signature['signature']);
      return keyId === undefined || value === undefined
        ? []
        : [{ key_id: keyId, signature: value }];
    }),
  };
}

/** True for a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function texts(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

function textRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const record: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) if (typeof item === 'string') record[key] = item;
  return record;
}
