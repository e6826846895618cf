import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { configSlice, type ConfigOf } from '../../config/index.js';
import { QuotaService } from './quota.service.js';

export const quotaSweepConfig = configSlice('quota-hold-sweeper', ['QUOTA_HOLD_SECONDS']);

/**
 * Gives back the units of requests that never settled (see QuotaHold), on every process, at
 * boot and then every half hold period: after an outage or a crash, units used = answers given.
 */
@Injectable()
export class QuotaHoldSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('QuotaHolds');
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly quota: QuotaService,
    @Inject(quotaSweepConfig.KEY) private readonly config: ConfigOf<typeof quotaSweepConfig>,
  ) {}

  onApplicationBootstrap(): void {
    void this.sweep();
    const everyMs = Math.min(30_000, (this.config.QUOTA_HOLD_SECONDS * 1000) / 2);
    this.timer = setInterval(() => void this.sweep(), everyMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One pass; resolves with the units given back (0 while the database is away). */
  async sweep(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let total = 0;
    try {
      for (let n = await this.quota.releaseExpiredHolds(); n > 0; n = await this.quota.releaseExpiredHolds()) total += n;
      if (total > 0) this.logger.warn({ units: total }, 'Gave back quota units held by requests that never settled');
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not sweep expired quota holds; retrying later');
    } finally {
      this.running = false;
    }
    return total;
  }
}
