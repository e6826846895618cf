import type { AdapterResponse, LlmAdapter, LlmRequest } from '../llm-client.port.js';
import { LlmError } from '../llm.errors.js';

/**
 * No model: every feature's deterministic answer. The default when no LLM is configured; costs
 * nothing and never fails for a feature that has rules.
 */
export class RulesAdapter implements LlmAdapter {
  readonly provider = 'rules' as const;
  readonly clientsCreated = 0;

  call<T>(request: LlmRequest<T>): Promise<AdapterResponse<T>> {
    if (!request.fallback) {
      return Promise.reject(new LlmError('invalid_request', `No deterministic answer for ${request.feature}`));
    }
    return Promise.resolve({
      value: request.fallback(),
      usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 },
    });
  }
}
