import { PlugboardError } from '../errors/plugboard-error.js';
import { parseDocument } from '../document/parse-document.js';
import {
  MANIFEST_FORMATS,
  type ImportedManifest,
  type ManifestFormat,
  type ManifestImporter,
} from './manifest-format.js';
import { inventoryImporter } from './inventory-importer.js';
import { nativeImporter } from './native-importer.js';
import { ocmImporter } from './ocm-importer.js';
import { pulumicostImporter } from './pulumicost-importer.js';
import { spaceoneImporter } from './spaceone-importer.js';

/**
 * Importers in detection order: the most specific shapes first, native last.
 * - ocm: a `capabilities` list whose entries carry `supported…Types`; native capabilities never do.
 * - inventory: `vendor` + `provider_type`, the registry key of an inventory provider plugin.
 * - spaceone: `plugin_id`, or `image` with `resource_type`/`service_type`/`capability`; its files
 *   also carry a string `name`, so it must come before native.
 * - pulumicost: nested `metadata` + `specification` objects, or the flat form's `plugin_type`,
 *   `supported_providers` or `installation` — the loosest test, so after the others.
 * - native: a string `name`.
 */
const IMPORTERS: readonly ManifestImporter[] = [
  ocmImporter,
  inventoryImporter,
  spaceoneImporter,
  pulumicostImporter,
  nativeImporter,
];

/** Options for `importManifest`. */
export interface ImportOptions {
  /** Force a format instead of detecting it; `auto` (the default) detects. */
  readonly format?: ManifestFormat | 'auto';
  /** Name of the source, for error messages. */
  readonly source?: string;
}

/** Tells which format a parsed document is in, or throws `FORMAT_UNKNOWN`. */
export function detectManifestFormat(document: unknown, source = 'document'): ManifestFormat {
  const record = asRecord(document, source);
  const importer = IMPORTERS.find((candidate) => candidate.detect(record));
  if (importer === undefined) {
    throw new PlugboardError(
      'FORMAT_UNKNOWN',
      `${source}: not a manifest of any known format (${MANIFEST_FORMATS.join(', ')})`,
    );
  }
  return importer.format;
}

/**
 * Converts a parsed manifest document of any supported format to the native model.
 *
 * @example
 * const { manifest, format } = importManifest(parseDocument(yamlText));
 */
export function importManifest(document: unknown, options: ImportOptions = {}): ImportedManifest {
  const source = options.source ?? 'document';
  const record = asRecord(document, source);
  const format =
    options.format === undefined || options.format === 'auto'
      ? detectManifestFormat(record, source)
      : options.format;
  const importer = IMPORTERS.find((candidate) => candidate.format === format);
  if (importer === undefined) {
    throw new PlugboardError(
      'FORMAT_UNKNOWN',
      `unknown manifest format "${String(format)}"; expected one of ${MANIFEST_FORMATS.join(', ')}`,
    );
  }
  try {
    return importer.import(record);
  } catch (error) {
    if (error instanceof PlugboardError && source !== 'document') {
      throw new PlugboardError(error.code, `${source}: ${error.message}`, {
        cause: error,
        details: { ...error.details, summary: `${source}: ${error.summary}`, source, format },
      });
    }
    throw error;
  }
}

/** Parses JSON or YAML text and imports it: the one call for a manifest file's contents. */
export function importManifestText(text: string, options: ImportOptions = {}): ImportedManifest {
  return importManifest(
    parseDocument(text, options.source === undefined ? {} : { name: options.source }),
    options,
  );
}

function asRecord(document: unknown, source: string): Record<string, unknown> {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    const kind =
      document === null ? 'empty' : Array.isArray(document) ? 'a list' : `a ${typeof document}`;
    throw new PlugboardError(
      'MANIFEST_INVALID',
      `${source}: a manifest must be a mapping of fields, not ${kind}`,
      {
        details: { problems: [{ path: '', message: 'must be an object' }] },
      },
    );
  }
  return document as Record<string, unknown>;
}
