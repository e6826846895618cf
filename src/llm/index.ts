/** Public API of the LLM layer: the module, the port and its token, errors, prompt privacy, pricing. */
export type { BillingContext, LlmClient, LlmRequest, LlmResult } from './llm-client.port.js';
export { LlmError } from './llm.errors.js';
export { LlmModule } from './llm.module.js';
export { LLM_CLIENT } from './llm.tokens.js';
export { computeCost } from './pricing/cost-calculator.js';
export { asData, DATA_NOT_INSTRUCTIONS, redactPii } from './privacy.js';
export type { BatchItem } from './llm-client.port.js';
export { LlmGateway } from './llm-gateway.service.js';
export { missingModelProblem, modelFor } from './models/model-selection.js';
export { priceSettingsProblem } from './pricing/configured-price.js';
