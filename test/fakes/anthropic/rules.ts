import type { IncomingMessage } from 'node:http';
import { invalid, type Failure } from './http.js';
import { asObject, isObject, type JsonObject } from './json.js';
import { API_VERSIONS, FAKE_MODELS, type FakeModelRules } from './models.js';

/**
 * What the API refuses, checked the way it checks: credentials and the anthropic-version header
 * on every endpoint, then what each model accepts under the request's API version (the rules per
 * model are in models.ts).
 */

export function checkCredentials(req: IncomingMessage, validKeys?: readonly string[]): Failure | undefined {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const key = (req.headers['x-api-key'] as string | undefined) ?? bearer;
  if (!key) return { status: 401, type: 'authentication_error', message: 'x-api-key or Authorization header is required' };
  if (validKeys && !validKeys.includes(key)) return { status: 401, type: 'authentication_error', message: 'invalid x-api-key' };
  return undefined;
}

export function versionOf(req: IncomingMessage): string {
  return String(req.headers['anthropic-version'] ?? '');
}

export function checkVersion(req: IncomingMessage): Failure | undefined {
  const version = versionOf(req);
  if (!version) return invalid('anthropic-version: header is required');
  if (!(API_VERSIONS as readonly string[]).includes(version)) return invalid(`anthropic-version: ${version} is not a valid version`);
  return undefined;
}

/** A Messages request body as the model accepts it under `version`, or the first thing it refuses. */
export function validateMessage(body: JsonObject, version: string): Failure | undefined {
  const model = body.model;
  if (typeof model !== 'string' || model === '') return invalid('model: Field required');
  if (body.max_tokens === undefined) return invalid('max_tokens: Field required');
  // From 2026-10-21, max_tokens: 0 is allowed (a cache warm-up that generates nothing).
  if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 0) {
    return invalid('max_tokens: Input should be a non-negative integer');
  }
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return invalid('messages: at least one message is required');
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return invalid('stream: Input should be a valid boolean');
  const rules: FakeModelRules | undefined = FAKE_MODELS[model];
  if (!rules) return { status: 404, type: 'not_found_error', message: `model: ${model}` };

  if (version === '2026-10-21') {
    for (const name of ['temperature', 'top_p', 'top_k']) {
      if (name in body) return invalid(`${name}: Extra inputs are not permitted`);
    }
  }
  const toolChoice = asObject(body.tool_choice);
  if (!rules.prefill && (toolChoice.type === 'tool' || toolChoice.type === 'any')) {
    return invalid(
      `tool_choice: forcing tool use (type "${String(toolChoice.type)}") is not supported by ${model}; ` +
        'use "auto" or "none", or output_config.format for structured output',
    );
  }
  if (!rules.prefill && asObject(messages.at(-1)).role === 'assistant') {
    return invalid(`messages: ${model} does not support assistant message prefill; the conversation must end with a user message`);
  }
  if (body.thinking !== undefined) {
    const thinking = asObject(body.thinking);
    if (thinking.type === 'disabled' && !rules.thinkingDisabled) {
      return invalid(`thinking.type: "disabled" is not supported by ${model}; it thinks adaptively, lower output_config.effort instead`);
    }
    if ('budget_tokens' in thinking && !rules.thinkingBudget) {
      return invalid(
        `thinking.budget_tokens: thinking budgets are not supported by ${model}; ` +
          'use thinking: {type: "adaptive"} and output_config.effort',
      );
    }
  }
  const outputConfig = asObject(body.output_config);
  if (outputConfig.effort !== undefined && outputConfig.effort !== null && !rules.effort) {
    return invalid(`output_config.effort: effort is not supported by ${model}`);
  }
  if (body.inference_geo !== undefined && !rules.inferenceGeo) {
    return invalid(`inference_geo: not supported by ${model}`);
  }
  const format = outputConfig.format;
  if (format !== undefined && format !== null) {
    const f = asObject(format);
    if (f.type !== 'json_schema' || !isObject(f.schema)) {
      return invalid('output_config.format: expected {type: "json_schema", schema: {...}}');
    }
  }
  return undefined;
}

/** `count_tokens` needs a model and at least one message; the rest is counted as given. */
export function validateTokenCount(body: JsonObject): Failure | undefined {
  if (typeof body.model !== 'string' || body.model === '') return invalid('model: Field required');
  if (!Array.isArray(body.messages) || body.messages.length === 0) return invalid('messages: at least one message is required');
  return undefined;
}

/** A batch to create: at least one request, each with a unique custom_id and non-streaming params (each is checked as a message later). */
export function validateBatch(body: unknown): Failure | undefined {
  const requests = isObject(body) && Array.isArray(body.requests) ? (body.requests as unknown[]) : undefined;
  if (!requests || requests.length === 0) return invalid('requests: at least one request is required');
  const ids = new Set<string>();
  for (const item of requests) {
    const id = asObject(item).custom_id;
    if (typeof id !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(id) || ids.has(id)) {
      return invalid('requests: each custom_id must be unique and match ^[a-zA-Z0-9_-]{1,64}$');
    }
    ids.add(id);
    if (asObject(asObject(item).params).stream === true) return invalid('requests: stream is not supported in batches');
  }
  return undefined;
}

/** The JSON schema of `output_config.format`, when the request asks for structured output. */
export function requestedSchema(body: JsonObject): JsonObject | undefined {
  const format = asObject(asObject(body.output_config).format);
  return format.type === 'json_schema' && isObject(format.schema) ? format.schema : undefined;
}
