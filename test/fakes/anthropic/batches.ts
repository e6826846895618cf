import type { ServerResponse } from 'node:http';
import { failureFor } from './faults.js';
import type { FakeHost } from './host.js';
import { invalid, send, sendError } from './http.js';
import { asObject, isObject, parseJson, type JsonObject } from './json.js';
import { validateBatch, validateMessage } from './rules.js';

export type StoredBatch = {
  id: string;
  createdAt: number;
  results: Array<{ custom_id: string; result: JsonObject }>;
};

const DAY_MS = 24 * 3600_000;

/**
 * The Message Batches endpoints: create, retrieve, results (JSONL). Each request of a batch is
 * recorded, scripted and checked like a message, and answered when the batch is created; the
 * batch reads as `in_progress` for `batchProcessingMs`.
 */
export class MessageBatches {
  /** Created, in order. */
  readonly list: StoredBatch[] = [];

  constructor(private readonly host: FakeHost) {}

  route(method: string, path: string, raw: string, res: ServerResponse, requestId: string): void {
    if (method === 'POST' && path === '/v1/messages/batches') {
      this.create(raw, res, requestId);
      return;
    }
    const m = /^\/v1\/messages\/batches\/([^/]+)(\/results)?$/.exec(path);
    const batch = m ? this.list.find((b) => b.id === m[1]) : undefined;
    if (!batch || method !== 'GET') {
      sendError(res, requestId, { status: 404, type: 'not_found_error', message: `batch: ${m?.[1] ?? path}` });
      return;
    }
    if (!m![2]) {
      send(res, 200, requestId, this.batchObject(batch));
      return;
    }
    if (!this.ended(batch)) {
      sendError(res, requestId, invalid(`batch ${batch.id} is still in progress`));
      return;
    }
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(200, { 'content-type': 'application/binary', 'request-id': requestId });
    res.end(batch.results.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }

  private create(raw: string, res: ServerResponse, requestId: string): void {
    const body = parseJson(raw);
    const refused = validateBatch(body);
    if (refused) {
      sendError(res, requestId, refused);
      return;
    }
    const batch: StoredBatch = { id: `msgbatch_fake_${this.list.length + 1}`, createdAt: Date.now(), results: [] };
    for (const item of (body as { requests: unknown[] }).requests) {
      const { custom_id, params } = asObject(item) as { custom_id: string; params: unknown };
      const n = this.host.nextNumber();
      const mode = this.host.admit({ headers: {}, body: params, receivedAt: Date.now() });
      const failure = (isObject(params) ? undefined : invalid('params: must be an object')) ?? failureFor(mode) ?? validateMessage(params as JsonObject, '2026-10-21');
      const result = failure
        ? { type: 'errored', error: { type: 'error', error: { type: failure.type, message: failure.message } } }
        : { type: 'succeeded', message: this.host.composer.compose(n, mode, params as JsonObject, 'batch') };
      batch.results.push({ custom_id, result });
    }
    this.list.push(batch);
    send(res, 200, requestId, this.batchObject(batch));
  }

  private ended(batch: StoredBatch): boolean {
    return Date.now() - batch.createdAt >= (this.host.options.batchProcessingMs ?? 0);
  }

  private batchObject(batch: StoredBatch): JsonObject {
    const ended = this.ended(batch);
    const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
    for (const r of batch.results) {
      if (!ended) counts.processing++;
      else if (r.result.type === 'succeeded') counts.succeeded++;
      else counts.errored++;
    }
    return {
      id: batch.id,
      type: 'message_batch',
      processing_status: ended ? 'ended' : 'in_progress',
      request_counts: counts,
      created_at: new Date(batch.createdAt).toISOString(),
      ended_at: ended ? new Date(batch.createdAt + (this.host.options.batchProcessingMs ?? 0)).toISOString() : null,
      expires_at: new Date(batch.createdAt + DAY_MS).toISOString(),
      archived_at: null,
      cancel_initiated_at: null,
      results_url: ended ? `${this.host.url}/v1/messages/batches/${batch.id}/results` : null,
    };
  }
}
