import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/index.js';
import { ApiException } from '../../common/errors/index.js';
import { projectRoot } from '../../common/paths/index.js';

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

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** A plain file name: no folders, no `..`, no hidden files. */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

let chartJs: Promise<Buffer> | undefined;

/** Chart.js's browser bundle. Its package does not export dist/ files, so it is found next to the main entry. */
function loadChartJs(): Promise<Buffer> {
  if (!chartJs) {
    const main = createRequire(import.meta.url).resolve('chart.js');
    const loading = readFile(join(dirname(main), 'chart.umd.min.js'));
    // A failed read is not kept: the next request tries again.
    loading.catch(() => {
      if (chartJs === loading) chartJs = undefined;
    });
    chartJs = loading;
  }
  return chartJs;
}

/**
 * The operators' LLM cost dashboard: one static page (public/admin/) and Chart.js. Public at the
 * HTTP level, since a browser cannot send a bearer token with a page load; every number on it
 * comes from the admin APIs, which the page calls with the admin's token.
 */
@ApiExcludeController()
@Public()
@Controller('admin')
export class DashboardController {
  private readonly assetsDir = join(projectRoot(), 'public', 'admin');

  @Get()
  page(@Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    return this.serve('index.html', reply);
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    return this.serve(plainFileName(file), reply);
  }

  /** The page's ES modules (public/admin/js/), which import each other by relative URL. */
  @Get('assets/js/:file')
  script(@Param('file') file: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    return this.serve(join('js', plainFileName(file)), reply);
  }

  @Get('vendor/chart.js')
  async chart(@Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const body = await loadChartJs();
    void reply
      .header('content-type', CONTENT_TYPES['.js'])
      .header('cache-control', 'public, max-age=86400')
      .header('x-content-type-options', 'nosniff');
    return body;
  }

  private async serve(file: string, reply: FastifyReply): Promise<Buffer> {
    let body: Buffer;
    try {
      body = await readFile(join(this.assetsDir, file));
    } catch {
      // Missing, a folder, unreadable: all the same to the caller.
      throw ApiException.notFound('The asset');
    }
    const ext = extname(file).toLowerCase();
    void reply
      .header('content-type', CONTENT_TYPES[ext] ?? 'application/octet-stream')
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff');
    if (ext === '.html') {
      // Over TLS the page may also have the browser upgrade any http URL (see http-app.ts).
      const csp = reply.request.protocol === 'https' ? `${DASHBOARD_CSP}; upgrade-insecure-requests` : DASHBOARD_CSP;
      void reply.header('content-security-policy', csp).header('referrer-policy', 'no-referrer');
    }
    return body;
  }
}

/** The file name as asked for, or 404 for anything that could leave the folder. */
function plainFileName(file: string): string {
  if (file.includes('..') || file.includes('/') || file.includes('\\') || !FILE_NAME.test(file)) {
    throw ApiException.notFound('The asset');
  }
  return file;
}
