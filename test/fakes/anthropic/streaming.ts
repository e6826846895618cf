import type { ServerResponse } from 'node:http';
import type { FakeMessage } from './messages.js';

/** How a streamed answer is paced and where a scripted fault breaks it. */
export type StreamPlan = {
  /** Characters of text per `content_block_delta`; default 12. */
  chunkChars: number;
  /** Wait between deltas, in ms; default 0 (each delta is still its own write). */
  chunkDelayMs: number;
  /** `error`: an `overloaded_error` event after this many deltas; `cut`: the connection dropped after them. */
  breakAfter?: { deltas: number; how: 'error' | 'cut' };
};

/** What happened to one streamed answer, for tests that check a client abort reached the API. */
export type StreamOutcome = 'complete' | 'client_gone' | 'broken';

/**
 * Writes a composed message as the Messages API streams it: `message_start` (input usage, output
 * 1), per content block `content_block_start`, deltas (`thinking_delta` + `signature_delta`, or
 * `text_delta` chunks), `content_block_stop`, a `ping` after the first block starts, then
 * `message_delta` with the stop reason and the cumulative usage, and `message_stop`.
 */
export async function streamMessage(res: ServerResponse, requestId: string, message: FakeMessage, plan: StreamPlan): Promise<StreamOutcome> {
  let gone = false;
  res.once('close', () => {
    if (!res.writableFinished) gone = true;
  });
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': requestId });
  const write = (type: string, data: object) => !gone && res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  const usage = message.usage as Record<string, unknown>;
  write('message_start', { message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } });

  let deltas = 0;
  for (const [index, block] of message.content.entries()) {
    if (block.type === 'thinking') {
      write('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      write('content_block_delta', { index, delta: { type: 'signature_delta', signature: block.signature } });
    } else {
      write('content_block_start', { index, content_block: { type: 'text', text: '', citations: null } });
      if (index === 0) write('ping', {});
      const text = String(block.text);
      for (let at = 0; at < text.length; at += plan.chunkChars) {
        if (plan.breakAfter && deltas === plan.breakAfter.deltas) {
          if (plan.breakAfter.how === 'cut') res.destroy();
          else write('error', { error: { type: 'overloaded_error', message: 'Overloaded (fake)' }, request_id: requestId });
          res.end();
          return 'broken';
        }
        if (plan.chunkDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, plan.chunkDelayMs));
        if (gone) return 'client_gone';
        write('content_block_delta', { index, delta: { type: 'text_delta', text: text.slice(at, at + plan.chunkChars) } });
        deltas++;
      }
    }
    write('content_block_stop', { index });
  }
  if (gone) return 'client_gone';
  write('message_delta', { delta: { stop_reason: message.stop_reason, stop_sequence: null, stop_details: null }, usage });
  write('message_stop', {});
  res.end();
  return 'complete';
}
