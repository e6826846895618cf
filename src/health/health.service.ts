import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.loader.js';
import { REDIS } from '../common/redis/redis.tokens.js';
import { LlmGateway } from '../llm/llm-gateway.service.js';
import type { CheckDto, HealthDto } from './health.dto.js';

const CHECK_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis | null,
    private readonly config: ConfigService<AppConfig, true>,
    private readonly llm: LlmGateway,
  ) {}

  async check(): Promise<HealthDto> {
    const [database, cache, queue] = await Promise.all([
      timed(() => this.db.query('SELECT 1')),
      this.redis ? timed(() => this.redis!.ping(), 'redis') : Promise.resolve<CheckDto>({ status: 'up', latency_ms: 0, store: 'memory' }),
      timed(() => this.db.query(`SELECT count(*) FROM pgboss.job WHERE state IN ('created', 'retry')`)),
    ]);
    const { circuits, auth } = this.llm.stats();
    const open = Object.entries(circuits).filter(([, state]) => state === 'open' || state === 'isolated').map(([c]) => c);
    const down = open.length > 0 || auth === 'invalid';
    const llm = { status: down ? ('down' as const) : ('up' as const), latency_ms: 0, provider: this.llm.provider, open_circuits: open, auth };
    const get = <K extends keyof AppConfig>(key: K) => this.config.get(key, { infer: true });
    return {
      status: [database, cache, queue, llm].every((c) => c.status === 'up') ? 'healthy' : 'degraded',
      phase1_enabled: true,
      phase2_enabled: get('ENABLE_ADAPTIVE_PATHS') || get('ENABLE_LLM_ASSESSMENTS'),
      llm_provider: this.llm.provider,
      checks: { database, cache, queue, llm },
      timestamp: new Date().toISOString(),
    };
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
