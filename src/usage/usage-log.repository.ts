import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { UsageEntry } from './usage-entry.js';

/** The columns a usage row is written with, and its values in that order (one place for both). */
const COLUMNS = [
  'call_id', 'attempt', 'student_id', 'feature', 'reference_id', 'variant', 'provider', 'model', 'outcome', 'success',
  'error_code', 'tokens_input', 'tokens_output', 'cache_read_tokens', 'cache_write_tokens', 'cache_write_1h_tokens',
  'cost_usd', 'price_source', 'latency_ms', 'request_id', 'provider_request_id', 'created_at',
] as const;

function valuesOf(entry: UsageEntry): unknown[] {
  return [
    entry.callId,
    entry.attempt,
    entry.studentId,
    entry.feature,
    entry.referenceId,
    entry.variant,
    entry.provider,
    entry.model,
    entry.outcome,
    entry.outcome === 'success',
    entry.errorCode,
    entry.tokensInput,
    entry.tokensOutput,
    entry.cacheReadTokens,
    entry.cacheWrite5mTokens + entry.cacheWrite1hTokens,
    entry.cacheWrite1hTokens,
    entry.costUsd,
    entry.priceSource,
    Math.max(0, Math.round(entry.latencyMs)),
    entry.requestId,
    entry.providerRequestId,
    entry.at ?? null,
  ];
}

/** Row `r`'s placeholders; created_at is the database's clock unless the row brings its own. */
const placeholders = (r: number) =>
  `(${COLUMNS.map((column, c) => (column === 'created_at' ? `COALESCE($${r * COLUMNS.length + c + 1}::timestamptz, now())` : `$${r * COLUMNS.length + c + 1}`)).join(', ')})`;

/** A replayed row that did get in before (the answer to its insert was lost) is skipped. */
const insertSql = (rows: number) =>
  `INSERT INTO llm_usage_logs (${COLUMNS.join(', ')})
   VALUES ${Array.from({ length: rows }, (_, r) => placeholders(r)).join(', ')}
   ON CONFLICT (call_id, attempt, outcome) DO NOTHING`;

const INSERT_ONE = insertSql(1);
/** Rows per statement when writing many (PostgreSQL takes at most 65,535 parameters). */
const BATCH = 1000;

/** Writes to llm_usage_logs. Its reports are read by UsageReportRepository. */
@Injectable()
export class UsageLogRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(entry: UsageEntry): Promise<void> {
    // Plain SQL: the ORM's insert cost four times this statement, on every LLM call.
    await this.db.query(INSERT_ONE, valuesOf(entry));
  }

  /** Many rows, a batch per statement (made-up usage for demonstrations). */
  async insertMany(entries: UsageEntry[], onBatch?: (written: number) => void): Promise<void> {
    for (let i = 0; i < entries.length; i += BATCH) {
      onBatch?.(i);
      const batch = entries.slice(i, i + BATCH);
      await this.db.query(insertSql(batch.length), batch.flatMap(valuesOf));
    }
  }

  /** Removes the rows written under this request id (how demo data replaces its own rows). */
  async deleteByRequestId(requestId: string): Promise<void> {
    await this.db.query('DELETE FROM llm_usage_logs WHERE request_id = $1', [requestId]);
  }

  /** Names the database (never its credentials), so journaled rows replay into the one they belong to. */
  get scope(): string {
    const options = this.db.options as { url?: string; host?: string; port?: number; database?: string };
    let where = `${options.host ?? ''}:${options.port ?? ''}/${options.database ?? ''}`;
    if (options.url) {
      const url = new URL(options.url);
      where = `${url.hostname}:${url.port || '5432'}${url.pathname}`;
    }
    return createHash('sha256').update(where).digest('hex').slice(0, 16);
  }
}
