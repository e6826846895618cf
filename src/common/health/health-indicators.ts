import { Injectable, Module } from '@nestjs/common';

/**
 * What each named check of /api/v1/health reports besides up or down. The names are the health
 * contract's; the modules that own the parts register the probes, so health imports none of them.
 */
export type HealthDetails = {
  /** The grading queue. */
  queue: Record<string, never>;
  /** The LLM layer: which provider answers, and which provider:model circuits are open. */
  llm: { provider: string; open_circuits: string[]; auth: 'ok' | 'invalid' | 'unknown' | 'unchecked' };
};
export type HealthCheckName = keyof HealthDetails;

export type HealthProbeResult<K extends HealthCheckName> = { up: boolean; details: HealthDetails[K] };

export type HealthIndicator<K extends HealthCheckName> = {
  probe: () => Promise<HealthProbeResult<K>>;
  /** False for a probe that reads in-process state: its latency is reported as 0, not measured. */
  roundTrip: boolean;
};

/** The probes registered by the modules that own the parts health reports on (one per name). */
@Injectable()
export class HealthIndicators {
  private readonly indicators = new Map<HealthCheckName, unknown>();

  register<K extends HealthCheckName>(name: K, indicator: HealthIndicator<K>): void {
    if (this.indicators.has(name)) throw new Error(`A health indicator named "${name}" is already registered`);
    this.indicators.set(name, indicator);
  }

  get<K extends HealthCheckName>(name: K): HealthIndicator<K> | undefined {
    return this.indicators.get(name) as HealthIndicator<K> | undefined;
  }
}

/** Imported by health and by each module that registers an indicator; Nest keeps one instance. */
@Module({ providers: [HealthIndicators], exports: [HealthIndicators] })
export class HealthIndicatorsModule {}
