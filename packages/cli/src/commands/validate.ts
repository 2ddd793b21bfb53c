import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  MANIFEST_FORMATS,
  PLUGIN_NAME_PATTERN,
  PlugboardError,
  importManifestText,
  type ImportedManifest,
  type ManifestFormat,
} from '@plugboard/core';
import { stringify } from 'yaml';
import type { CliIo } from '../cli-io.js';
import { reportError, toPlugboardError } from '../report-error.js';
import type { Command } from '../command.js';
import { validateInstalled } from './validate-installed.js';

const PLUGIN_NAME_REGEXP = new RegExp(PLUGIN_NAME_PATTERN);
const MANIFEST_EXTENSIONS = new Set(['.json', '.yml', '.yaml']);
const MANIFEST_FILE_NAMES = ['manifest.json', 'manifest.yml', 'manifest.yaml'];
/** Manifests are small; a bigger file is certainly not one, so it is refused before reading. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

type FileResult =
  | { readonly file: string; readonly ok: true; readonly imported: ImportedManifest }
  | { readonly file: string; readonly ok: false; readonly error: PlugboardError };

/** `plugboard validate <file|dir>...`: imports each manifest and prints it normalized, or its problems. */
export const validateCommand: Command = {
  name: 'validate',
  summary:
    'check manifests (printed normalized), or an installed plugin: digest, signature, handshake',
  usage: `plugboard validate <file|dir|name>... [--format auto|${MANIFEST_FORMATS.join('|')}] [--json] [--quiet] [--config FILE]

  A directory holding manifest.{json,yml,yaml} is that one manifest; any other directory means every
  .json/.yml/.yaml file directly inside it. A name that is not a path is an installed plugin: its
  manifest, files (against the install record), digest (against plugboard.lock), signature
  (against trust:) and capabilities handshake are checked. Exit code 0 when all are valid, else
  the code of the first error (see docs/errors.md).`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'auto' },
        json: { type: 'boolean', default: false },
        quiet: { type: 'boolean', short: 'q', default: false },
        config: { type: 'string' },
      },
    });
    const format = parseFormat(values.format);
    if (positionals.length === 0) {
      throw new PlugboardError('USAGE', 'validate needs at least one file or directory');
    }
    const { paths, names } = await splitInstalledNames(positionals, io.cwd);
    if (names.length > 0) {
      const installedCode = await validateInstalled(names, io, values);
      if (paths.length === 0) return installedCode;
      const pathsCode = await validatePaths(paths, format, io, values);
      return installedCode !== 0 ? installedCode : pathsCode;
    }
    return validatePaths(paths, format, io, values);
  },
};

async function validatePaths(
  positionals: readonly string[],
  format: ManifestFormat | 'auto',
  io: CliIo,
  values: { readonly json: boolean; readonly quiet: boolean },
): Promise<number> {
  const files = (
    await Promise.all(positionals.map((p) => manifestFiles(resolve(io.cwd, p))))
  ).flat();
  const results: FileResult[] = [];
  for (const file of files) results.push(await validateFile(file, format, io.cwd));
  print(io, results, values.json, values.quiet);
  const firstError = results.find((result) => !result.ok);
  return firstError === undefined || firstError.ok ? 0 : firstError.error.exitCode;
}

/** Arguments that are not paths on disk but plugin names are installed plugins to check. */
async function splitInstalledNames(
  positionals: readonly string[],
  cwd: string,
): Promise<{ paths: string[]; names: string[] }> {
  const paths: string[] = [];
  const names: string[] = [];
  for (const positional of positionals) {
    const onDisk = await stat(resolve(cwd, positional)).then(
      () => true,
      () => false,
    );
    if (
      !onDisk &&
      PLUGIN_NAME_REGEXP.test(positional) &&
      !MANIFEST_EXTENSIONS.has(extname(positional))
    ) {
      names.push(positional);
    } else {
      paths.push(positional);
    }
  }
  return { paths, names };
}

function parseFormat(value: string): ManifestFormat | 'auto' {
  if (value === 'auto' || (MANIFEST_FORMATS as readonly string[]).includes(value)) {
    return value as ManifestFormat | 'auto';
  }
  throw new PlugboardError(
    'INVALID_ARGUMENT',
    `--format must be auto or one of ${MANIFEST_FORMATS.join(', ')}; got "${value}"`,
  );
}

async function manifestFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch((cause: unknown) => {
    throw new PlugboardError('NOT_FOUND', `${path}: no such file or directory`, { cause });
  });
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path);
  const manifest = MANIFEST_FILE_NAMES.find((name) => entries.includes(name));
  if (manifest !== undefined) return [join(path, manifest)];
  const candidates = entries.filter((name) => MANIFEST_EXTENSIONS.has(extname(name))).sort();
  if (candidates.length === 0) {
    throw new PlugboardError(
      'NOT_FOUND',
      `${path}: no manifest files (.json, .yml, .yaml) in this directory`,
    );
  }
  return candidates.map((name) => join(path, name));
}

async function validateFile(
  file: string,
  format: ManifestFormat | 'auto',
  cwd: string,
): Promise<FileResult> {
  const shown = relative(cwd, file) || file;
  try {
    const info = await stat(file);
    if (info.size > MAX_MANIFEST_BYTES) {
      throw new PlugboardError(
        'PAYLOAD_TOO_LARGE',
        `larger than ${MAX_MANIFEST_BYTES} bytes; not a manifest`,
      );
    }
    const text = await readFile(file, 'utf8');
    return { file: shown, ok: true, imported: importManifestText(text, { format, source: shown }) };
  } catch (error) {
    return { file: shown, ok: false, error: toPlugboardError(error) };
  }
}

function print(io: CliIo, results: readonly FileResult[], json: boolean, quiet: boolean): void {
  if (json) {
    const body = results.map((result) =>
      result.ok
        ? {
            file: result.file,
            valid: true,
            format: result.imported.format,
            warnings: result.imported.warnings,
            manifest: result.imported.manifest,
          }
        : { file: result.file, valid: false, ...result.error.toJSON() },
    );
    io.stdout(`${JSON.stringify(body, null, 2)}\n`);
    return;
  }
  for (const result of results) {
    if (!result.ok) {
      reportError(io, result.error, false);
      continue;
    }
    const { manifest, format, warnings } = result.imported;
    const version = manifest.version === undefined ? '' : `@${manifest.version}`;
    io.stdout(`ok ${result.file} (${format}) ${manifest.name}${version}\n`);
    for (const warning of warnings) io.stdout(`  warning: ${warning}\n`);
    if (!quiet) io.stdout(indent(stringify(manifest)));
  }
  const failed = results.filter((result) => !result.ok).length;
  io.stdout(`${results.length - failed} valid, ${failed} invalid\n`);
}

function indent(text: string): string {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => `    ${line}\n`)
    .join('');
}
