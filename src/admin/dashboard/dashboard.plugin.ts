import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/** The page may load its own scripts, styles and API answers, and nothing else: no inline code. */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SCRIPT = 'text/javascript; charset=utf-8';
/** Ours, not the mime table's: browsers run a module script only with a JavaScript type. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': SCRIPT,
  '.mjs': SCRIPT,
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Chart.js's browser bundle. Its package does not export dist/ files, so it is found next to the main entry. */
const CHART_DIR = dirname(createRequire(import.meta.url).resolve('chart.js'));
const CHART_FILE = 'chart.umd.min.js';

/**
 * The operators' LLM cost dashboard: GET /admin (index.html), everything under public/admin/ at
 * /admin/assets/ as it is on disk (sub-folders too), and Chart.js at /admin/vendor/chart.js.
 * Public at the HTTP level, since a browser cannot send a bearer token with a page load; every
 * number on it comes from the admin APIs, which the page calls with the admin's token.
 */
export function dashboardPlugin(assetsDir: string): FastifyPluginAsync {
  return async (scope) => {
    // Missing, a folder, a dotfile, outside the folder, unreadable: all the same to the caller,
    // the 404 NOT_FOUND of any unknown path.
    scope.setErrorHandler((_error, _request, reply) => reply.callNotFound());
    // The page's own policy, stricter than the API's (http-app.ts): over TLS it may also have the
    // browser upgrade any http URL.
    scope.addHook('onSend', async (request, reply, payload) => {
      if (String(reply.getHeader('content-type')).startsWith('text/html')) {
        const csp = request.protocol === 'https' ? `${DASHBOARD_CSP}; upgrade-insecure-requests` : DASHBOARD_CSP;
        void reply.header('content-security-policy', csp).header('referrer-policy', 'no-referrer');
      }
      return payload;
    });
    await scope.register(fastifyStatic, {
      root: assetsDir,
      prefix: '/admin/assets/',
      index: false,
      dotfiles: 'ignore',
      cacheControl: false,
      setHeaders: (reply, path) => {
        void reply.header('content-type', CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream');
        void reply.header('cache-control', path === join(CHART_DIR, CHART_FILE) ? 'public, max-age=86400' : 'no-cache');
      },
    });
    scope.get('/admin', (_request, reply) => reply.sendFile('index.html'));
    scope.get('/admin/vendor/chart.js', (_request, reply) => reply.sendFile(CHART_FILE, CHART_DIR));
  };
}
