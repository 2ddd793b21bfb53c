import { Type } from '@sinclair/typebox';
import { requireRole } from '../auth/principal.js';
import { BlobCollector } from '../publish/blob-collector.js';
import { ErrorResponse } from './plugin-schemas.js';
import type { RouteModule } from './route-module.js';

const tags = ['admin'];

const CollectionResponse = Type.Object(
  {
    examined: Type.Integer({ description: 'artifact blobs looked at' }),
    deleted: Type.Integer(),
    freed_bytes: Type.Integer(),
    kept_referenced: Type.Integer({ description: 'blobs some version still uses' }),
    kept_in_grace: Type.Integer({
      description: 'unused blobs younger than the grace period (a publish may be in flight)',
    }),
    grace_ms: Type.Integer(),
    kept_retained: Type.Integer({
      description: 'cached copies of REMOTE artifacts used within the cache retention',
    }),
    cache_retention_ms: Type.Integer(),
  },
  { additionalProperties: false },
);

/**
 * Server maintenance. `POST /admin/gc` (admin) sweeps artifact blobs now: deletes those no version
 * of any domain references and older than the grace period. The same collector also sweeps shortly
 * after plugins or domains are deleted and once per grace period; it stops with the app.
 */
export const adminRoutes: RouteModule = (api, { store, blobs }) => {
  const collector = new BlobCollector({ store, blobs, logger: api.log });
  collector.start();
  api.addHook('onClose', async () => {
    await collector.close();
  });

  api.post(
    '/admin/gc',
    {
      schema: {
        summary: 'Delete artifact blobs no version uses (admin)',
        tags,
        response: { 200: CollectionResponse, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request) => {
      requireRole(request.principal, 'admin');
      const report = await collector.collect();
      return {
        examined: report.examined,
        deleted: report.deleted,
        freed_bytes: report.freedBytes,
        kept_referenced: report.keptReferenced,
        kept_in_grace: report.keptInGrace,
        grace_ms: report.graceMs,
        kept_retained: report.keptRetained,
        cache_retention_ms: report.cacheRetentionMs,
      };
    },
  );
};
