import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { PlugboardError } from '@plugboard/core';
import type { FastifyInstance } from 'fastify';

/**
 * The page's Content-Security-Policy: scripts, styles and API calls only from this origin (the
 * bundle), never inline; images (plugin icons) from anywhere over http(s) or data URLs. A
 * description that slipped past the UI's rendering could still not run script.
 */
export const WEB_UI_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https: http: data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** How long browsers keep the hashed bundle files (their names change with their content), in seconds. */
const HASHED_ASSET_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/**
 * Where `npm run build` puts the web catalog in this repository (`packages/web/dist/app`), found
 * from this file's place in the layout (`packages/server/dist/src/app/`) without importing the
 * web package's code.
 */
export function defaultWebUiFolder(): string {
  return fileURLToPath(new URL('../../../../web/dist/app/', import.meta.url));
}

/**
 * Serves the built web catalog at `/`: its files as they are (hashed `/assets/*` cached for a
 * year), and `index.html` for any other GET that is not under `/api/` and names no file, so the
 * single-page app's own paths (`/plugins/echo`) load the app. API paths keep their JSON 404.
 * Without a built catalog in `folder` nothing is registered and the return value is false.
 */
export async function registerWebUi(app: FastifyInstance, folder: string): Promise<boolean> {
  const indexFile = join(folder, 'index.html');
  if (!existsSync(indexFile)) return false;
  const indexHtml = readFileSync(indexFile);
  const pageHeaders = {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-cache',
    'content-security-policy': WEB_UI_CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
  };
  await app.register(fastifyStatic, {
    root: folder,
    prefix: '/',
    // One route per file found now: the wildcard below stays free for the app's own paths.
    wildcard: false,
    index: false,
    setHeaders(reply, path) {
      void reply.header('x-content-type-options', 'nosniff');
      if (path.endsWith('.html')) {
        void reply.headers(pageHeaders);
      } else if (path.includes('/assets/')) {
        void reply.header(
          'cache-control',
          `public, max-age=${HASHED_ASSET_MAX_AGE_SECONDS}, immutable`,
        );
      }
    },
  });
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    // An unknown API path or a missing file is a 404, never the page (a script tag asking for a
    // missing bundle must not receive HTML).
    if (path.startsWith('/api/') || path === '/api' || /\.[a-z0-9]+$/i.test(path)) {
      throw new PlugboardError('NOT_FOUND', `no route GET ${path}`);
    }
    return reply.headers(pageHeaders).send(indexHtml);
  });
  return true;
}
