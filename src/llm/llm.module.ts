import { Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { HealthIndicators, HealthIndicatorsModule } from '../common/health/index.js';
import { AppConfigModule, configSlice, type ConfigOf } from '../config/index.js';
import { UsageModule } from '../usage/index.js';
import { RulesAdapter } from './adapters/rules.adapter.js';
import type { LlmAdapter } from './llm-client.port.js';
import { LlmGateway, modelConfig } from './llm-gateway.service.js';
import { LLM_ADAPTER, LLM_CLIENT } from './llm.tokens.js';
import { modelWarnings } from './models/model-warnings.js';
import { llmPolicyConfig, LlmPolicies, policyOptions } from './resilience/llm-policies.js';

const usageLogger = new Logger('LlmUsage');

export const providerConfig = configSlice('llm-provider', [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_BASE_URL',
  'LLM_EFFORT',
  'LLM_BASE_URL',
  'LLM_API_KEY',
  'LLM_MAX_TOKENS_PARAM',
]);

/**
 * Which provider answers: Anthropic with a key, else an OpenAI-compatible server, else rules.
 * (A configuration that cannot be priced or has no model to call is stopped at boot: boot-checks.ts.)
 * The SDKs are loaded only for the provider in use: together they are a quarter of the modules
 * the app would load at start (bench:cold-start).
 */
export async function createAdapter(config: ConfigOf<typeof providerConfig>): Promise<LlmAdapter> {
  if (config.ANTHROPIC_API_KEY) {
    const { AnthropicAdapter } = await import('./adapters/anthropic.adapter.js');
    return new AnthropicAdapter({
      apiKey: config.ANTHROPIC_API_KEY,
      baseURL: config.ANTHROPIC_BASE_URL,
      effort: config.LLM_EFFORT,
      onUnknownUsageField: (field) =>
        usageLogger.warn({ field }, `The API reported usage field "${field}", which the price list has not been checked against`),
    });
  }
  if (config.LLM_BASE_URL) {
    const { OpenAiCompatibleAdapter } = await import('./adapters/openai-compatible.adapter.js');
    return new OpenAiCompatibleAdapter({ baseURL: config.LLM_BASE_URL, apiKey: config.LLM_API_KEY, maxTokensParam: config.LLM_MAX_TOKENS_PARAM });
  }
  return new RulesAdapter();
}

/**
 * The LLM layer: one port (LLM_CLIENT), three adapters. Deliberately not @Global: only modules
 * that import LlmModule can reach the model, and Core never does.
 */
@Module({
  imports: [UsageModule, HealthIndicatorsModule, AppConfigModule.forFeature(providerConfig, llmPolicyConfig, modelConfig)],
  providers: [
    { provide: LLM_ADAPTER, inject: [providerConfig.KEY], useFactory: createAdapter },
    {
      provide: LlmPolicies,
      inject: [llmPolicyConfig.KEY],
      useFactory: (config: ConfigOf<typeof llmPolicyConfig>) => new LlmPolicies(policyOptions(config)),
    },
    LlmGateway,
    { provide: LLM_CLIENT, useExisting: LlmGateway },
  ],
  // The gateway itself only for operational reads (metrics): circuit states, occupancy.
  exports: [LLM_CLIENT, LlmGateway],
})
export class LlmModule implements OnModuleInit {
  private readonly logger = new Logger('LlmModule');

  constructor(
    private readonly gateway: LlmGateway,
    @Inject(modelConfig.KEY) private readonly config: ConfigOf<typeof modelConfig>,
    private readonly health: HealthIndicators,
  ) {}

  /**
   * Says at boot which provider answers, warns of models that are unpriced or retiring, and checks
   * the credentials without spending tokens (a refused key is an error line; premium features
   * serve the rules answer until the provider accepts it).
   */
  async onModuleInit(): Promise<void> {
    // Health reads the LLM state through this probe: down while any provider:model circuit is open
    // or the provider refuses the credentials.
    this.health.register('llm', {
      roundTrip: false,
      probe: () => {
        const { circuits, auth } = this.gateway.stats();
        const open = Object.entries(circuits)
          .filter(([, state]) => state === 'open' || state === 'isolated')
          .map(([circuit]) => circuit);
        const up = open.length === 0 && auth !== 'invalid';
        return Promise.resolve({ up, details: { provider: this.gateway.provider, open_circuits: open, auth } });
      },
    });
    this.logger.log(`LLM provider: ${this.gateway.provider}`);
    if (this.gateway.provider === 'rules') return;
    for (const warning of modelWarnings(this.config, new Date(), this.gateway.provider)) this.logger.warn(warning);
    const auth = await this.gateway.checkAuth().catch(() => 'unknown' as const);
    if (auth === 'invalid') this.logger.error('LLM credentials refused by the provider: premium features serve the rules answer (auth: invalid)');
    else if (auth === 'ok') this.logger.log('LLM credentials accepted (auth: ok)');
    else this.logger.warn(`LLM credentials not confirmed (auth: ${auth}); calls will tell`);
  }
}
