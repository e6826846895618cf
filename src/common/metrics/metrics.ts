import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { PREMIUM_FEATURES } from '../features/index.js';

/**
 * The Prometheus metrics of one process. Modules record into these; the queue and circuit
 * gauges are filled by collect callbacks their owners register.
 */
@Injectable()
export class AppMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly llmDuration = new Histogram({
    name: 'llm_call_duration_seconds',
    help: 'LLM call attempt latency',
    labelNames: ['feature', 'model', 'outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64],
    registers: [this.registry],
  });

  readonly llmTokens = new Counter({
    name: 'llm_tokens_total',
    help: 'Tokens billed by the LLM provider',
    labelNames: ['feature', 'model', 'kind'],
    registers: [this.registry],
  });

  readonly llmCost = new Counter({
    name: 'llm_cost_usd_total',
    help: 'LLM cost in US dollars',
    labelNames: ['feature', 'model'],
    registers: [this.registry],
  });

  readonly quotaRejections = new Counter({
    name: 'premium_quota_rejections_total',
    help: 'Premium requests refused because the monthly quota was used up',
    labelNames: ['feature'],
    registers: [this.registry],
  });

  readonly usageWriteFailures = new Counter({
    name: 'llm_usage_log_write_failures_total',
    help: 'LLM usage rows that could not be written',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Every feature's series exists from boot (at 0), so a rate over it is defined before the first refusal.
    for (const feature of PREMIUM_FEATURES) this.quotaRejections.inc({ feature }, 0);
  }

  /** A gauge whose value is read when Prometheus scrapes. */
  gauge(name: string, help: string, labelNames: string[], collect: (g: Gauge) => Promise<void> | void): Gauge {
    const existing = this.registry.getSingleMetric(name);
    if (existing) this.registry.removeSingleMetric(name);
    return new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        await collect(this);
      },
    });
  }
}
