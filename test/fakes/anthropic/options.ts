export type FakeAnthropicOptions = {
  /** Counts the tokens of one text (input blocks, answer); default `countTokens`, ceil(characters / 4). */
  countTokens?: (text: string) => number;
  /** The clock the prompt cache reads for its time to live, in ms; default Date.now. */
  now?: () => number;
  /**
   * The shortest prefix, in tokens, that the cache stores for a model (a shorter marked prefix is
   * silently not cached). Default: each model's published minimum (models.ts). Return
   * Infinity to turn prompt caching off, 0 to cache any marked prefix.
   */
  minCacheableTokens?: (model: string) => number;
  /**
   * Thinking tokens the model spends on this request before answering: billed as output and
   * counted against max_tokens, as adaptive thinking is. Default none.
   */
  thinkingTokens?: (body: any) => number;
  /** Bill the structured-output schema (output_config.format) as input, ahead of the system prompt. Default false. */
  countOutputFormat?: boolean;
  /** Only these keys are accepted (401 otherwise). Default: any key. */
  validApiKeys?: readonly string[];
  /** Usage fields to report beside the token counts (inference_geo, server_tool_use, speed, unknown ones…). */
  usage?: (body: any) => Record<string, unknown>;
  /** Request bodies above this many bytes answer 413, as the API does past 32 MB. */
  maxRequestBytes?: number;
  /** Streamed answers: characters per text delta (default 12) and the wait between deltas in ms (default 0). */
  streamChunkChars?: number;
  streamChunkDelayMs?: number;
  /** How long a message batch stays `in_progress` before it has ended; default 0. */
  batchProcessingMs?: number;
};

export type RecordedRequest = { headers: Record<string, string | string[] | undefined>; body: any; receivedAt: number };

/** Returns the value to answer with, or `undefined` to let the next responder (or the schema generator) answer. */
export type FakeResponder = (body: any) => unknown;
