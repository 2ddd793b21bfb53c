import { parseAllDocuments } from 'yaml';
import { PlugboardError } from '../errors/plugboard-error.js';

/** Largest document accepted, in characters; manifests are small, this stops abuse. */
export const MAX_DOCUMENT_CHARS = 4 * 1024 * 1024;

/** Where a document came from, for error messages (a file name, `request body`, …). */
export interface DocumentSource {
  readonly name?: string;
}

/**
 * Parses one JSON or YAML document. JSON is tried first when the text looks like JSON, so JSON
 * errors name JSON positions. A YAML stream with several documents is refused: a manifest is one.
 * Throws `PARSE_ERROR` with the line and column of the first problem.
 */
export function parseDocument(text: string, source: DocumentSource = {}): unknown {
  const where = source.name ?? 'document';
  if (text.length > MAX_DOCUMENT_CHARS) {
    throw new PlugboardError(
      'PAYLOAD_TOO_LARGE',
      `${where}: larger than ${MAX_DOCUMENT_CHARS} characters`,
    );
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const trimmed = body.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(body) as unknown;
    } catch {
      // Not strict JSON; YAML (a JSON superset) parses it or reports the position below.
    }
  }
  const documents = parseAllDocuments(body, { uniqueKeys: true });
  const nonEmpty = Array.from(documents).filter(
    (doc) => doc.contents !== null || doc.errors.length > 0,
  );
  if (nonEmpty.length > 1) {
    throw new PlugboardError(
      'PARSE_ERROR',
      `${where}: holds ${nonEmpty.length} YAML documents; expected one`,
    );
  }
  const doc = nonEmpty[0];
  if (doc === undefined) return null;
  const error = doc.errors[0];
  if (error !== undefined) {
    const position = error.linePos?.[0];
    const at = position === undefined ? '' : ` at line ${position.line}, column ${position.col}`;
    throw new PlugboardError(
      'PARSE_ERROR',
      `${where}: invalid YAML${at}: ${firstLine(error.message)}`,
      {
        details: position === undefined ? {} : { line: position.line, column: position.col },
      },
    );
  }
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (cause) {
    throw new PlugboardError(
      'PARSE_ERROR',
      `${where}: ${cause instanceof Error ? firstLine(cause.message) : 'invalid YAML'}`,
      {
        cause,
      },
    );
  }
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}
