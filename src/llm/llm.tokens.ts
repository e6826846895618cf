/** The LLM port (an LlmClient). Only modules that import LlmModule can resolve it. */
export const LLM_CLIENT = Symbol('LLM_CLIENT');
/** The provider adapter behind the port. */
export const LLM_ADAPTER = Symbol('LLM_ADAPTER');
