/**
 * Which request settings each model family accepts, so no request is built that the model would
 * reject. The 5.x generation refuses sampling parameters, forced tool choice, assistant prefill,
 * thinking budgets and `thinking: {type: "disabled"}` with HTTP 400; it thinks adaptively by
 * default and is steered with `output_config.effort`.
 */
export type ModelCapabilities = {
  family: string;
  samplingParameters: boolean;
  forcedToolChoice: boolean;
  assistantPrefill: boolean;
  thinking: 'adaptive' | 'budget';
  canDisableThinking: boolean;
  effort: boolean;
  structuredOutput: boolean;
};

const FAMILIES: ReadonlyArray<{ match: RegExp; capabilities: ModelCapabilities }> = [
  {
    match: /^claude-(sonnet|haiku|opus|fable|mythos)-5(-|$)/,
    capabilities: {
      family: 'claude-5',
      samplingParameters: false,
      forcedToolChoice: false,
      assistantPrefill: false,
      thinking: 'adaptive',
      canDisableThinking: false,
      effort: true,
      structuredOutput: true,
    },
  },
  {
    match: /^claude-(opus-4-[5-9]|sonnet-4-[5-9]|haiku-4-5)/,
    capabilities: {
      family: 'claude-4.5',
      samplingParameters: true,
      forcedToolChoice: true,
      assistantPrefill: true,
      thinking: 'budget',
      canDisableThinking: true,
      effort: false,
      structuredOutput: true,
    },
  },
];

/** Unknown models get the most restrictive settings: a request that every current model accepts. */
const CONSERVATIVE: ModelCapabilities = {
  family: 'unknown',
  samplingParameters: false,
  forcedToolChoice: false,
  assistantPrefill: false,
  thinking: 'adaptive',
  canDisableThinking: false,
  effort: false,
  structuredOutput: true,
};

export function capabilitiesFor(model: string): ModelCapabilities {
  return FAMILIES.find((f) => f.match.test(model))?.capabilities ?? CONSERVATIVE;
}
