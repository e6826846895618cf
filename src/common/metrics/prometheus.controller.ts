import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Headers, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { configSlice, type ConfigOf } from '../../config/index.js';
import { Public } from '../auth/public.decorator.js';
import { ApiException } from '../errors/api.exception.js';
import { AppMetrics } from './metrics.js';

export const prometheusConfig = configSlice('prometheus', ['METRICS_TOKEN']);

/** Prometheus scrape endpoint; with METRICS_TOKEN set (production requires it), it wants that bearer token. */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class PrometheusController {
  constructor(
    private readonly metrics: AppMetrics,
    @Inject(prometheusConfig.KEY) private readonly config: ConfigOf<typeof prometheusConfig>,
  ) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(@Headers('authorization') authorization?: string): Promise<string> {
    const token = this.config.METRICS_TOKEN;
    if (token && !sameSecret(authorization ?? '', `Bearer ${token}`)) throw ApiException.unauthorized('A metrics token is required');
    return this.metrics.registry.metrics();
  }
}

/** Constant-time comparison (over digests, so the lengths give nothing away either). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
