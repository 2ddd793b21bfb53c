import { validateManifest } from '../manifest/validate-manifest.js';
import type { ManifestImporter } from './manifest-format.js';

/**
 * Plugboard's own format. One shorthand is accepted and expanded: a capability given as a plain
 * string means `{type: <string>}`.
 */
export const nativeImporter: ManifestImporter = {
  format: 'native',
  detect: (document) => typeof document['name'] === 'string',
  import(document) {
    const capabilities = document['capabilities'];
    const expanded = Array.isArray(capabilities)
      ? {
          ...document,
          capabilities: capabilities.map((c: unknown) => (typeof c === 'string' ? { type: c } : c)),
        }
      : document;
    return { format: 'native', manifest: validateManifest(expanded), warnings: [] };
  },
};
