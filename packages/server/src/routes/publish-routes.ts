import type { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import { PlugboardError } from '@plugboard/core';
import type { PackageLimits } from '@plugboard/installer';
import type { VersionSignature } from '@plugboard/store';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../app/server-context.js';
import { requireRole } from '../auth/principal.js';
import { BodySource } from '../publish/body-source.js';
import { PackagePublisher, type StagedPackage } from '../publish/package-publisher.js';
import { parseSignatures, type TrustedKeys } from '../publish/package-signatures.js';
import { requireMultipartBoundary } from './multipart-boundary.js';
import { ErrorResponse } from './plugin-schemas.js';
import { apiBaseUrl, versionUrl } from './request-scope.js';
import type { RouteModule } from './route-module.js';

/** Content types of a raw package body. */
export const PACKAGE_CONTENT_TYPES: readonly string[] = Object.freeze([
  'application/gzip',
  'application/x-gzip',
  'application/octet-stream',
  'application/vnd.plugboard.plugin.v1+tar+gzip',
]);
/** Header carrying `{key_id, signature}` (or a list) for a raw publish. */
export const SIGNATURE_HEADER = 'x-plugboard-signature';
/** Multipart fields that may hold the package file. */
const PACKAGE_FIELDS = new Set(['package', 'plugin']);
/** Multipart fields that may hold signatures. */
const SIGNATURE_FIELDS = new Set(['signature', 'signatures']);
/** Largest multipart text field, in bytes. */
const MAX_FIELD_BYTES = 64 * 1024;

/** Options of `createPublishRoutes`. */
export interface PublishRoutesOptions {
  /** When non-empty, signatures must verify against these keys; otherwise they are stored as sent. */
  readonly trustedKeys?: TrustedKeys | undefined;
  /** Archive caps beyond the body size (entries, unpacked bytes); the installer's defaults else. */
  readonly limits?: Partial<PackageLimits> | undefined;
}

const PublishResponse = Type.Object({
  name: Type.String(),
  version: Type.String(),
  digest: Type.String(),
  size: Type.Integer(),
  media_type: Type.String(),
  published: Type.String(),
  signatures: Type.Array(Type.Object({ key_id: Type.String(), signature: Type.String() })),
  format: Type.String({ description: 'the manifest format the package used' }),
  plugin_created: Type.Boolean(),
  artifact_url: Type.String(),
  warnings: Type.Array(Type.String()),
});

const binary = {
  schema: { type: 'string', format: 'binary', description: 'the package (gzip tar)' },
};

/** The request body as OpenAPI shows it: raw package types, or multipart with a file field. */
const PublishBodyDocumentation = {
  content: {
    ...Object.fromEntries(PACKAGE_CONTENT_TYPES.map((type) => [type, binary])),
    'multipart/form-data': {
      schema: {
        type: 'object',
        required: ['package'],
        properties: {
          package: {
            type: 'string',
            format: 'binary',
            description: 'the package; or field plugin',
          },
          signature: {
            type: 'string',
            description: '{"key_id","signature"} or a list of them, as JSON text',
          },
        },
      },
    },
  },
};

const errors = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  409: ErrorResponse,
  413: ErrorResponse,
  415: ErrorResponse,
  422: ErrorResponse,
};

/**
 * `POST /publish` (publisher role): a plugin package — gzip tar with a manifest — as a raw body
 * (`application/gzip`, `application/octet-stream`) or multipart (file field `package` or `plugin`,
 * optional field `signature`), becomes a new immutable version in the caller's LOCAL repository.
 */
export function createPublishRoutes(options: PublishRoutesOptions = {}): RouteModule {
  return (api, context) => {
    const publisher = new PackagePublisher(context.store, context.blobs, {
      maxPackageBytes: context.config.maxPublishBytes,
      limits: options.limits,
      trustedKeys: options.trustedKeys,
    });
    // Its own scope: the raw-body parser and multipart apply to this route only.
    void api.register(async (scope) => {
      scope.addContentTypeParser(PACKAGE_CONTENT_TYPES as string[], (_request, payload, done) =>
        done(null, payload),
      );
      await scope.register(multipart, {
        limits: {
          // One byte over the cap, so the publisher (not busboy) reports the size with our code.
          fileSize: context.config.maxPublishBytes + 1,
          files: 1,
          fields: 8,
          fieldSize: MAX_FIELD_BYTES,
          parts: 10,
        },
      });
      scope.post(
        '/publish',
        {
          schema: {
            summary: 'Publish a plugin package as a new version of a LOCAL plugin',
            description:
              'Body: a gzip tar holding manifest.{json,yml,yaml} (any importer format, with a version) at its root or in a single top folder. Raw (application/gzip, application/octet-stream) with an optional X-Plugboard-Signature header, or multipart/form-data with a file field "package" (or "plugin") and an optional "signature" field; a signature is {"key_id","signature"} (Ed25519 over the digest string, base64).',
            tags: ['publish'],
            body: PublishBodyDocumentation,
            response: { 201: PublishResponse, ...errors },
          },
          // The body schema documents the route in OpenAPI only: the body is a stream checked by
          // the publisher (a JSON-schema check of a stream would refuse every package).
          validatorCompiler: () => () => true,
          onRequest: async (request, reply) => {
            requireRole(request.principal, 'publisher');
            checkContentType(request);
            requireMultipartBoundary(request);
            const declared = Number(request.headers['content-length'] ?? '0');
            if (declared > maxRequestBytes(context)) {
              void reply.header('connection', 'close');
              throw tooLarge(context.config.maxPublishBytes);
            }
          },
        },
        async (request, reply) => {
          const principal = requireRole(request.principal, 'publisher');
          const { staged, result } = request.isMultipart()
            ? await publishMultipart(request, reply, context, publisher, principal.domainId)
            : await publishRaw(request, reply, context, publisher, principal.domainId);
          void reply.status(201);
          return {
            name: staged.name,
            version: staged.version,
            digest: staged.digest,
            size: staged.size,
            media_type: result.version.artifact.mediaType,
            published: result.version.publishedAt,
            signatures: result.version.signatures.map((s) => ({
              key_id: s.keyId,
              signature: s.signature,
            })),
            format: staged.inspection.manifest.format,
            plugin_created: result.pluginCreated,
            artifact_url: versionUrl(
              apiBaseUrl(request, api.prefix),
              staged.name,
              staged.version,
              'artifact',
            ),
            warnings: [...staged.inspection.manifest.warnings],
          };
        },
      );
    });
  };
}

/** `POST /publish` with the default options (no trusted keys). */
export const publishRoutes: RouteModule = (api, context) =>
  createPublishRoutes({ trustedKeys: context.config.trustedKeys })(api, context);

type Published = Awaited<ReturnType<PackagePublisher['publish']>>;

async function publishRaw(
  request: FastifyRequest,
  reply: FastifyReply,
  context: ServerContext,
  publisher: PackagePublisher,
  domainId: string,
): Promise<Published> {
  const body = new BodySource(request.body as Readable);
  try {
    const header = request.headers[SIGNATURE_HEADER];
    const signatures =
      header === undefined
        ? []
        : parseSignatures(
            Array.isArray(header) ? `[${header.join(',')}]` : header,
            `the ${SIGNATURE_HEADER} header`,
          );
    return await publisher.publish(domainId, body, signatures);
  } catch (error) {
    await settle(body, reply, context);
    throw error;
  }
}

async function publishMultipart(
  request: FastifyRequest,
  reply: FastifyReply,
  context: ServerContext,
  publisher: PackagePublisher,
  domainId: string,
): Promise<Published> {
  let staged: StagedPackage | undefined;
  const signatures: VersionSignature[] = [];
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const file = new BodySource(part.file);
        if (!PACKAGE_FIELDS.has(part.fieldname) || staged !== undefined) {
          await settle(file, reply, context);
          throw new PlugboardError(
            'INVALID_ARGUMENT',
            staged !== undefined
              ? 'the multipart body holds more than one package file'
              : `multipart file field "${part.fieldname}" is not "package" or "plugin"`,
            { details: { field: part.fieldname } },
          );
        }
        try {
          staged = await publisher.stage(domainId, file);
        } catch (error) {
          await settle(file, reply, context);
          throw error;
        }
      } else if (SIGNATURE_FIELDS.has(part.fieldname)) {
        signatures.push(...parseSignatures(String(part.value), `field "${part.fieldname}"`));
      } else {
        throw new PlugboardError(
          'INVALID_ARGUMENT',
          `unknown multipart field "${part.fieldname}"; expected package (or plugin) and signature`,
          { details: { field: part.fieldname } },
        );
      }
    }
    if (staged === undefined) {
      throw new PlugboardError(
        'INVALID_ARGUMENT',
        'the multipart body has no file field "package" (or "plugin")',
        { details: { field: 'package' } },
      );
    }
    return { staged, result: await publisher.commit(staged, signatures) };
  } catch (error) {
    if (staged !== undefined) await publisher.discard(staged).catch(() => undefined);
    throw translateMultipartError(error, context);
  }
}

/**
 * After a refusal, reads what is left of the body (up to the size cap) so the client gets the
 * error on a healthy connection; a body too large to drain gets `Connection: close`.
 */
async function settle(body: BodySource, reply: FastifyReply, context: ServerContext) {
  if (!(await body.drain(maxRequestBytes(context)))) void reply.header('connection', 'close');
}

function checkContentType(request: FastifyRequest): void {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'multipart/form-data' || PACKAGE_CONTENT_TYPES.includes(type)) return;
  throw new PlugboardError(
    'UNSUPPORTED_MEDIA_TYPE',
    `a package is sent as ${PACKAGE_CONTENT_TYPES.join(', ')} or multipart/form-data, not ${type === '' ? 'without a Content-Type' : type}`,
    { details: { content_type: type } },
  );
}

/** A multipart body may carry a little more than the package: boundaries and fields. */
function maxRequestBytes(context: ServerContext): number {
  return context.config.maxPublishBytes + 16 * MAX_FIELD_BYTES;
}

function tooLarge(maxBytes: number): PlugboardError {
  return new PlugboardError('PAYLOAD_TOO_LARGE', `the package is larger than ${maxBytes} bytes`, {
    details: { max_bytes: maxBytes },
  });
}

/** busboy's limits surface as Fastify errors; they become our codes. */
function translateMultipartError(error: unknown, context: ServerContext): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge(context.config.maxPublishBytes);
  if (
    code === 'FST_PARTS_LIMIT' ||
    code === 'FST_FILES_LIMIT' ||
    code === 'FST_FIELDS_LIMIT' ||
    code === 'FST_INVALID_MULTIPART_CONTENT_TYPE'
  ) {
    return new PlugboardError(
      'INVALID_ARGUMENT',
      `multipart body refused: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  return error;
}
