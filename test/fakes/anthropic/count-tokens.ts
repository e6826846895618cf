import type { FakeHost } from './host.js';
import { invalid, send, sendError, type Exchange } from './http.js';
import { isObject, parseJson, type JsonObject } from './json.js';
import { checkCredentials, checkVersion, validateTokenCount } from './rules.js';
import { promptSegments } from './usage.js';

/** `POST /v1/messages/count_tokens`: the prompt's input tokens, counted as the usage of a message would be. Returns whether it was answered. */
export function answerTokenCount(host: FakeHost, x: Exchange): boolean {
  const body = parseJson(x.raw);
  const failure =
    (isObject(body) ? undefined : invalid('The request body is not a JSON object')) ??
    checkCredentials(x.req, host.options.validApiKeys) ??
    checkVersion(x.req) ??
    validateTokenCount(body as JsonObject);
  if (failure) {
    sendError(x.res, x.requestId, failure);
    return false;
  }
  const segments = promptSegments(body as JsonObject, host.options.countOutputFormat === true);
  send(x.res, 200, x.requestId, { input_tokens: host.cache.totalTokens(segments) });
  return true;
}
