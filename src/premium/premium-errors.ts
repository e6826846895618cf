import { ApiException } from '../common/errors/index.js';
import { featureLabel } from '../common/features/index.js';
import type { LlmError } from '../llm/index.js';
import type { QuotaStatus } from '../usage/index.js';

export function quotaExceeded(status: QuotaStatus): ApiException {
  return new ApiException('RATE_LIMIT_EXCEEDED', `Monthly ${featureLabel(status.feature)} quota used up`, {
    quota: { feature: status.feature, used: status.used, limit: status.limit, period: status.period, resets_at: status.resets_at },
  });
}

export function serviceBusy(error: LlmError): ApiException {
  return new ApiException('SERVICE_BUSY', 'The service is busy; retry shortly', {
    retry_after_seconds: Math.max(1, Math.ceil((error.details.retryAfterMs ?? 5000) / 1000)),
  });
}
