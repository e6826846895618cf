import helmet from 'helmet';
import { NestFactory } from '@nestjs/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import { createOpenApiDocument } from './common/http/openapi.js';
import { genRequestId } from './common/http/request-id.js';
import { createLogger } from './common/logging/logger.options.js';
import { NestPinoLogger } from './common/logging/nest-pino-logger.js';
import { RequestLogController } from './common/logging/request-log.js';
import { AppMetrics } from './common/metrics/metrics.js';
import type { AppConfig } from './config/config.loader.js';

/** Builds the HTTP application (not yet listening): used by main.ts and by the tests alike. */
export async function createHttpApp(config: AppConfig, databaseUrl: string): Promise<NestFastifyApplication> {
  const logger = createLogger(config);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    logController: new RequestLogController(),
    bodyLimit: config.BODY_LIMIT,
    genReqId: genRequestId,
    requestIdHeader: false,
    trustProxy: trustProxy(config.TRUST_PROXY),
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
  // Helmet's middleware, built once: @fastify/helmet rebuilds it (parsing the CSP) on every request,
  // which cost a third of the throughput of a cached read (bench/load).
  const securityHeaders = helmet({
    // An API answers JSON: nothing may load from it. Swagger UI (/docs) loads its own scripts and
    // styles; the dashboard sends its own, stricter policy.
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
      },
    },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
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
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error instanceof Error ? error : undefined));
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

/** A hop count means: trust that many proxies in front of us (the adapter's types take no number). */
function trustProxy(setting: boolean | number | string): boolean | string | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

function setupOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, createOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/json',
    swaggerOptions: { persistAuthorization: true },
  });
}
