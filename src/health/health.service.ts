import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { FEATURES, PREMIUM_FEATURES } from '../common/features/index.js';
import { HealthIndicators, type HealthCheckName, type HealthDetails } from '../common/health/index.js';
import { REDIS } from '../common/redis/index.js';
import { configSlice, type ConfigOf } from '../config/index.js';
import type { CheckDto, HealthDto } from './health.dto.js';

const CHECK_TIMEOUT_MS = 2000;

/** Phase 2 is on when any premium feature's flag is on by default. */
export const healthConfig = configSlice('health', PREMIUM_FEATURES.map((f) => FEATURES[f].flag.env));

@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(healthConfig.KEY) private readonly config: ConfigOf<typeof healthConfig>,
    private readonly indicators: HealthIndicators,
  ) {}

  async check(): Promise<HealthDto> {
    const [database, cache, queueCheck, llmCheck] = await Promise.all([
      timed(() => this.db.query('SELECT 1')),
      this.redis ? timed(() => this.redis!.ping(), 'redis') : Promise.resolve<CheckDto>({ status: 'up', latency_ms: 0, store: 'memory' }),
      this.indicator('queue', {}),
      this.indicator('llm', { provider: 'rules', open_circuits: [], auth: 'unchecked' }),
    ]);
    const queue = queueCheck.check;
    const llm = { ...llmCheck.check, ...llmCheck.details };
    return {
      status: [database, cache, queue, llm].every((c) => c.status === 'up') ? 'healthy' : 'degraded',
      phase1_enabled: true,
      phase2_enabled: PREMIUM_FEATURES.some((f) => this.config[FEATURES[f].flag.env]),
      llm_provider: llm.provider,
      checks: { database, cache, queue, llm },
      timestamp: new Date().toISOString(),
    };
  }

  /** A registered probe, timed and bounded like the others; `down` when no module registered one. */
  private async indicator<K extends HealthCheckName>(name: K, unknown: HealthDetails[K]): Promise<{ check: CheckDto; details: HealthDetails[K] }> {
    const indicator = this.indicators.get(name);
    if (!indicator) return { check: { status: 'down', latency_ms: 0 }, details: unknown };
    let details = unknown;
    const check = await timed(async () => {
      const result = await indicator.probe();
      details = result.details;
      if (!result.up) throw new Error(`${name} is down`);
    });
    return { check: indicator.roundTrip ? check : { ...check, latency_ms: 0 }, details };
  }
}

async function timed(probe: () => Promise<unknown>, store?: string): Promise<CheckDto> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return { status: 'up', latency_ms: Math.round(performance.now() - started), ...(store && { store }) };
  } catch {
    return { status: 'down', latency_ms: Math.round(performance.now() - started), ...(store && { store }) };
  } finally {
    clearTimeout(timer);
  }
}
