import helmet from 'helmet';
import { NestFactory } from '@nestjs/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { DestinationStream } from 'pino';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import { clientErrorHandler, createOpenApiDocument, parseJsonBody } from './common/http/index.js';
import { genRequestId } from './common/http/index.js';
import { createLogger } from './common/logging/index.js';
import { NestPinoLogger } from './common/logging/index.js';
import { RequestLogController } from './common/logging/index.js';
import { AppMetrics } from './common/metrics/index.js';
import { McpToolRunner } from './mcp/index.js';
import type { AppConfig } from './config/index.js';

export type HttpAppOptions = {
  /** Where the JSON log lines go; stdout when not given (the tests capture them). */
  logDestination?: DestinationStream;
};

/** Builds the HTTP application (not yet listening): used by main.ts and by the tests alike. */
export async function createHttpApp(config: AppConfig, databaseUrl: string, options: HttpAppOptions = {}): Promise<NestFastifyApplication> {
  const logger = createLogger(config, options.logDestination);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    logController: new RequestLogController(),
    bodyLimit: config.BODY_LIMIT,
    genReqId: genRequestId,
    requestIdHeader: false,
    trustProxy: trustProxy(config.TRUST_PROXY),
    clientErrorHandler,
    // Errors Fastify raises before routing (a URL that is not valid percent-encoding) get our envelope too.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode && error.statusCode < 500 ? 400 : 500;
      void reply
        .code(status)
        .header('x-request-id', request.id)
        .header('x-content-type-options', 'nosniff')
        .type('application/json; charset=utf-8')
        .send({
          error: status === 400
            ? { code: 'VALIDATION_ERROR', message: 'The request URL is not valid', request_id: request.id, details: [{ field: 'url', issue: 'is not valid' }] }
            : { code: 'INTERNAL_ERROR', message: 'An unexpected error occurred', request_id: request.id },
        });
    },
  });
  // JSON bodies only: Nest's default form parser would let a cross-site HTML form post to us with
  // no CORS preflight. Fastify's own JSON parser stays (with its prototype-poisoning checks).
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register({ config, databaseUrl }), adapter, {
    logger: new NestPinoLogger(logger),
    bodyParser: false,
  });
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  // Our JSON parser: the body's size in values is bounded before it is parsed (json-body.ts).
  app.getHttpAdapter().getInstance().removeContentTypeParser('application/json');
  app.getHttpAdapter().getInstance().addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);
  // Helmet's middleware, built once: @fastify/helmet rebuilds it (parsing the CSP) on every request,
  // which cost a third of the throughput of a cached read (bench/load).
  const securityHeaders = { https: helmet(helmetOptions(true)), http: helmet(helmetOptions(false)) };
  if (config.CORS_ORIGINS.length > 0) {
    app.enableCors({
      origin: config.CORS_ORIGINS,
      methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-request-id'],
      exposedHeaders: ['x-request-id', 'retry-after'],
      maxAge: 600,
    });
  }
  const metrics = app.get(AppMetrics);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    // request.protocol is the proxy's x-forwarded-proto when TRUST_PROXY trusts it.
    const headers = request.protocol === 'https' ? securityHeaders.https : securityHeaders.http;
    headers(request.raw, reply.raw, (error?: unknown) => done(error instanceof Error ? error : undefined));
  });
  // Latency by route pattern (never the raw URL: ids would explode the label set).
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  setupOpenApi(app);
  await app.init();
  return app;
}

/**
 * An API answers JSON: nothing may load from it. Swagger UI (/docs) loads its own scripts and
 * styles; the dashboard sends its own, stricter policy. `upgrade-insecure-requests` only where the
 * request came over TLS: sent over plain HTTP (an address other than localhost, no proxy) it makes
 * the browser fetch the page's own scripts and styles over https, which nothing serves, and the
 * console is blank. Over https it stays, beside HSTS (which browsers ignore over plain HTTP).
 */
function helmetOptions(tls: boolean): Parameters<typeof helmet>[0] {
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: tls ? [] : null,
      },
    },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    // Browsers ignore COOP on an origin that is not secure (and log an error for it).
    crossOriginOpenerPolicy: tls,
  };
}

/** A hop count means: trust that many proxies in front of us (the adapter's types take no number). */
function trustProxy(setting: boolean | number | string): boolean | string | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

/** The document with the requesting address (scheme as the trusted proxy says) as its one server; `/` if it is not a sane host. */
function withServerOf(request: FastifyRequest, served: OpenAPIObject): OpenAPIObject {
  let origin: string;
  try {
    origin = new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    return served;
  }
  return { ...served, servers: [{ url: origin, description: 'The server that serves this document' }] };
}

function setupOpenApi(app: NestFastifyApplication): void {
  // Built at the first request that needs it (/docs, an MCP call), not before listening: it was a
  // tenth of the time to the first answer (bench:cold-start).
  let document: OpenAPIObject | undefined;
  const built = () => (document ??= createOpenApiDocument(app));
  // The MCP tools take the request and response schemas of the routes they stand for.
  app.get(McpToolRunner).describe(built);
  SwaggerModule.setup('docs', app, built, {
    jsonDocumentUrl: 'docs/json',
    customSiteTitle: 'Course Companion API · docs',
    swaggerOptions: { persistAuthorization: true },
    // Importers such as GPT Actions want an absolute server URL: the address the document was asked at.
    patchDocumentOnRequest: (request, _reply, served) => withServerOf(request as FastifyRequest, served),
  });
  // Swagger UI's page template has no viewport tag: phones would render it at desktop width.
  app.getHttpAdapter().getInstance().addHook('onSend', async (request, reply, payload) => {
    if (typeof payload !== 'string' || !request.url.startsWith('/docs')) return payload;
    if (!String(reply.getHeader('content-type')).startsWith('text/html')) return payload;
    return payload.replace('<meta charset="UTF-8">', '<meta charset="UTF-8">\n  <meta name="viewport" content="width=device-width, initial-scale=1">');
  });
}
