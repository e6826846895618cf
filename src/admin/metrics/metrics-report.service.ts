import { Injectable } from '@nestjs/common';
import { divideMicro, microToUsd } from '../../common/money/index.js';
import { CompletionSources } from '../../common/reporting/index.js';
import { PremiumRequestsService, UsageReportRepository } from '../../usage/index.js';
import type { FeatureMetricsDto } from './metrics.dto.js';

const ratio = (n: number, d: number): number | null => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);
const rounded = (ms: number | null | undefined): number | null => (ms === null || ms === undefined ? null : Math.round(ms));

/**
 * Per feature and variant over a window: what was asked and how it was served (usage's request
 * records), what the model calls cost (the usage log), and how often the output was followed
 * through (the completion measures feature modules register in common).
 */
@Injectable()
export class MetricsReportService {
  constructor(
    private readonly requests: PremiumRequestsService,
    private readonly usage: UsageReportRepository,
    private readonly completions: CompletionSources,
  ) {}

  async report(from: Date, to: Date): Promise<FeatureMetricsDto[]> {
    const [requests, calls, completion] = await Promise.all([
      this.requests.figures(from, to),
      this.usage.callFigures(from, to),
      this.completions.figures(from, to),
    ]);
    const keyOf = (r: { feature: string; variant: string }) => `${r.feature}|${r.variant}`;
    const keys = new Set([...requests, ...calls, ...completion].map(keyOf));
    return [...keys].sort().map((key) => {
      const [feature, variant] = key.split('|') as [string, string];
      const req = requests.find((r) => keyOf(r) === key);
      const call = calls.find((r) => keyOf(r) === key);
      const done = completion.find((r) => keyOf(r) === key);
      const requestsN = req?.requests ?? 0;
      const costMicro = call?.costMicro ?? 0;
      const llmCalls = call?.llmCalls ?? 0;
      return {
        feature,
        variant,
        requests: requestsN,
        llm_calls: llmCalls,
        cache_hit_rate: ratio(req?.cacheHits ?? 0, req?.served ?? 0),
        fallback_rate: ratio(req?.fallbacks ?? 0, req?.served ?? 0),
        latency_ms: { p50: rounded(req?.p50LatencyMs), p95: rounded(req?.p95LatencyMs) },
        error_rate: ratio(call?.failed ?? 0, llmCalls),
        cost_usd: microToUsd(costMicro),
        cost_per_request: requestsN === 0 ? null : microToUsd(divideMicro(costMicro, requestsN)),
        completion_rate: done ? ratio(done.completed, done.total) : null,
      };
    });
  }
}
